import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A certificate authority of the local control plane: a self-signed P-256 root that issues the API server's
/// serving certificate and client certificates (and, as the mesh CA, is what `istio-ca-secret` holds).
///
/// Kept small on purpose; it will be unified with MeshPKI.
public struct LocalCA: Sendable {
    public let certificate: Certificate
    public let key: P256.Signing.PrivateKey

    /// A new self-signed root valid for ten years.
    public static func generate(commonName: String, organization: String = "cluster.local", now: Date = Date()) throws -> LocalCA {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName(organization)
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name, subject: name,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        return LocalCA(certificate: certificate, key: key)
    }

    /// Loads a CA from PEM (certificate and PKCS#8 or SEC1 P-256 key).
    public init(certificatePEM: String, keyPEM: String) throws {
        certificate = try Certificate(pemEncoded: certificatePEM)
        key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
    }

    init(certificate: Certificate, key: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// Issues a leaf: a server certificate for `dnsNames`/`ipAddresses`, or a client certificate for
    /// `commonName` in `organizations` (Kubernetes reads them as user and groups).
    public func issue(commonName: String, organizations: [String] = [], dnsNames: [String] = [], ipAddresses: [String] = [],
                      server: Bool, days: Int = 365, now: Date = Date()) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let leafKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for organization in organizations { OrganizationName(organization) }
            CommonName(commonName)
        }
        var names: [GeneralName] = dnsNames.map { .dnsName($0) }
        names += ipAddresses.compactMap(Self.ipBytes).map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
            issuer: self.certificate.subject, subject: subject,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([server ? .serverAuth : .clientAuth])
                if !names.isEmpty { SubjectAlternativeNames(names) }
            },
            issuerPrivateKey: .init(key))
        return (certificate, leafKey)
    }

    public var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
    public var keyPEM: String { key.pemRepresentation }

    /// The SHA-256 fingerprint of the root (`AB:CD:…`), as `local status` reports it.
    public var fingerprint: String { Self.fingerprint(of: certificate) }

    public static func fingerprint(of certificate: Certificate) -> String {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate)) != nil else { return "" }
        return SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The fingerprint of the first certificate in `pem`, or `nil` when it does not parse.
    public static func fingerprint(pem: String) -> String? {
        guard let certificate = try? Certificate(pemEncoded: pem) else { return nil }
        return fingerprint(of: certificate)
    }

    static func pem(_ certificate: Certificate) -> String { (try? certificate.serializeAsPEM().pemString) ?? "" }

    static func ipBytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".")
        if parts.count == 4, let bytes = Optional(parts.compactMap { UInt8($0) }), bytes.count == 4 { return bytes }
        if text == "::1" { return [UInt8](repeating: 0, count: 15) + [1] }
        return nil
    }

    /// The subject common name of a peer certificate (the Kubernetes user name).
    static func commonName(of certificate: NIOSSLCertificate) -> String? {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
        for rdn in parsed.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }
}

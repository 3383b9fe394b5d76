import Foundation
import SwiftASN1
import X509

/// Issues the TLS certificates of a Kubernetes-style API server: a serving certificate for DNS names and IP
/// addresses, or a client certificate whose subject Kubernetes reads as user (`CN`) and groups (`O`).
///
/// keyUsage critical digitalSignature, keyEncipherment; EKU serverAuth or clientAuth; basicConstraints critical
/// CA:FALSE; an authorityKeyIdentifier; ECDSA P-256 keys; NotBefore five minutes back for clock skew.
public struct TLSLeafIssuer: Sendable {
    /// What a certificate is for.
    public enum Purpose: Sendable {
        case server
        case client
    }

    /// How far NotBefore is moved back.
    public static let clockSkewGrace: TimeInterval = 300

    /// The CA that signs.
    public var ca: SigningCA
    /// Time, serials and keys.
    public var sources: PKISources

    public init(ca: SigningCA, sources: PKISources = .system) {
        self.ca = ca
        self.sources = sources
    }

    /// A new key and certificate for `commonName` (and `organizations`), with DNS and IP SANs, valid for `days`.
    public func issue(
        commonName: String, organizations: [String] = [], dnsNames: [String] = [], ipAddresses: [String] = [],
        purpose: Purpose, days: Int = 365
    ) throws(PKIError) -> IssuedWorkload {
        var names: [GeneralName] = dnsNames.map { .dnsName($0) }
        for address in ipAddresses {
            guard let bytes = IPAddressText.bytes(address) else {
                throw PKIError(.invalidParameter, "\"\(address)\" is not an IP address")
            }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        var attributes = organizations.map { RelativeDistinguishedName.Attribute(type: .RDNAttributeType.organizationName, utf8String: $0) }
        attributes.append(.init(type: .RDNAttributeType.commonName, utf8String: commonName))
        let subject = DistinguishedName(attributes.map { RelativeDistinguishedName($0) })
        let now = sources.currentTime()
        try SigningCA.checkSigner(ca.certificate, file: "the CA certificate", now: now)
        let key = try sources.keys.makeKey(.p256)
        let issuerKeyID = CAGenerator.keyIdentifier(of: ca.certificate)
        let certificate: Certificate
        do {
            certificate = try Certificate(
                version: .v3, serialNumber: sources.serial(), publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-Self.clockSkewGrace),
                notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: ca.certificate.subject, subject: subject,
                signatureAlgorithm: CAGenerator.signatureAlgorithm(for: ca.privateKey),
                extensions: Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([purpose == .server ? .serverAuth : .clientAuth])
                    AuthorityKeyIdentifier(keyIdentifier: issuerKeyID)
                    if !names.isEmpty { SubjectAlternativeNames(names) }
                },
                issuerPrivateKey: ca.privateKey)
        } catch {
            throw PKIError(.io, "could not sign the certificate for \(commonName): \(error)", underlying: error)
        }
        let chain = ca.chain.isEmpty ? [ca.certificate] : ca.chain
        return IssuedWorkload(certificate: certificate, privateKey: key, chain: [certificate] + chain, roots: ca.roots)
    }
}

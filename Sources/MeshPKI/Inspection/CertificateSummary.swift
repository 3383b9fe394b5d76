import Crypto
import Foundation
import SwiftASN1
import X509

/// What `meshctl pki inspect` shows about one certificate: names, validity, key, constraints, usages, identifiers
/// and fingerprints. Built from a certificate and the time "now"; rendered as text or as a value.
public struct CertificateSummary: Sendable {
    public var subject: String
    public var issuer: String
    /// Hex, colon-separated, as OpenSSL prints serials.
    public var serialNumber: String
    public var notBefore: Date
    public var notAfter: Date
    /// Time left (`3649d23h`) or `expired 2d ago`, relative to the time the summary was made.
    public var timeLeft: String
    /// Expired or not yet valid at that time.
    public var isCurrentlyValid: Bool
    /// `RSA`, `ECDSA`.
    public var keyAlgorithm: String
    public var keyBits: Int
    public var signatureAlgorithm: String
    /// `nil` when the certificate has no basicConstraints extension.
    public var isCA: Bool?
    public var pathLength: Int?
    public var keyUsage: [String]
    public var extendedKeyUsage: [String]
    /// `DNS:…`, `URI:…`, `SPIFFE:spiffe://…`.
    public var subjectAlternativeNames: [String]
    /// The SPIFFE IDs among the SANs.
    public var spiffeIDs: [String]
    public var subjectKeyIdentifier: String?
    public var authorityKeyIdentifier: String?
    public var sha256Fingerprint: String
    public var sha1Fingerprint: String

    /// Summarises `certificate` as seen at `now`.
    public init(_ certificate: Certificate, now: Date) {
        subject = CertificateNames.display(certificate.subject)
        issuer = CertificateNames.display(certificate.issuer)
        serialNumber = Self.hex(certificate.serialNumber.bytes)
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        timeLeft = now < certificate.notValidBefore
            ? "not yet valid (starts in \(Timestamps.span(Int(certificate.notValidBefore.timeIntervalSince(now)))))"
            : Timestamps.remaining(until: certificate.notValidAfter, from: now)
        isCurrentlyValid = now >= certificate.notValidBefore && now <= certificate.notValidAfter
        (keyAlgorithm, keyBits) = PrivateKeyPEM.algorithmAndSize(certificate.publicKey)
        signatureAlgorithm = String(describing: certificate.signatureAlgorithm)
        switch try? certificate.extensions.basicConstraints {
        case .some(.isCertificateAuthority(let length)): (isCA, pathLength) = (true, length)
        case .some(.notCertificateAuthority): (isCA, pathLength) = (false, nil)
        case .none: (isCA, pathLength) = (nil, nil)
        }
        keyUsage = (try? certificate.extensions.keyUsage).map(Self.names) ?? []
        extendedKeyUsage = (try? certificate.extensions.extendedKeyUsage).map { $0.map(Self.name) } ?? []
        let names = (try? certificate.extensions.subjectAlternativeNames).map(Array.init) ?? []
        subjectAlternativeNames = names.map(SANText.text)
        spiffeIDs = names.compactMap {
            if case .uniformResourceIdentifier(let uri) = $0, uri.hasPrefix("spiffe://") { return uri }
            return nil
        }
        subjectKeyIdentifier = (try? certificate.extensions.subjectKeyIdentifier).map { Self.hex($0.keyIdentifier) }
        authorityKeyIdentifier = (try? certificate.extensions.authorityKeyIdentifier)?.keyIdentifier.map { Self.hex($0) }
        sha256Fingerprint = Self.sha256Fingerprint(of: certificate)
        sha1Fingerprint = Self.hex(Insecure.SHA1.hash(data: Self.derBytes(certificate)))
    }

    /// The SHA-256 fingerprint of a certificate's DER (`AB:CD:…`), as `openssl x509 -fingerprint -sha256` prints it.
    public static func sha256Fingerprint(of certificate: Certificate) -> String {
        hex(SHA256.hash(data: derBytes(certificate)))
    }

    /// The DER encoding of a certificate.
    public static func derBytes(_ certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(certificate)
        } catch {
            return []
        }
        return serializer.serializedBytes
    }

    /// `AB:CD:…` in upper-case hex.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { byte in
            let text = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + text : text
        }.joined(separator: ":")
    }

    static func names(_ usage: KeyUsage) -> [String] {
        [
            (usage.digitalSignature, "digitalSignature"), (usage.nonRepudiation, "nonRepudiation"),
            (usage.keyEncipherment, "keyEncipherment"), (usage.dataEncipherment, "dataEncipherment"),
            (usage.keyAgreement, "keyAgreement"), (usage.keyCertSign, "keyCertSign"), (usage.cRLSign, "cRLSign"),
            (usage.encipherOnly, "encipherOnly"), (usage.decipherOnly, "decipherOnly"),
        ].filter(\.0).map(\.1)
    }

    static func name(_ usage: ExtendedKeyUsage.Usage) -> String {
        switch usage {
        case .serverAuth: "serverAuth"
        case .clientAuth: "clientAuth"
        case .codeSigning: "codeSigning"
        case .emailProtection: "emailProtection"
        case .timeStamping: "timeStamping"
        case .ocspSigning: "OCSPSigning"
        case .any: "anyExtendedKeyUsage"
        default: String(describing: usage)
        }
    }
}

import Foundation
import X509

/// Makes root and intermediate CA certificates with the extensions of Istio's `tools/certs` Makefiles.
///
/// Root: basicConstraints critical CA:TRUE; keyUsage critical digitalSignature, nonRepudiation, keyEncipherment,
/// keyCertSign; subjectKeyIdentifier (SHA-1 of the key, OpenSSL's `hash`). Intermediate: the same with pathlen:0,
/// a DNS SAN for istiod and an authorityKeyIdentifier pointing at the root. Signatures follow the signing key:
/// SHA-256 with RSA, ECDSA with SHA-256 (P-256) or SHA-384 (P-384).
public struct CAGenerator: Sendable {
    /// Time, serials and keys.
    public var sources: PKISources

    public init(sources: PKISources = .system) {
        self.sources = sources
    }

    /// A self-signed root CA.
    public func makeRoot(_ profile: CAProfile = .istioRoot) throws(PKIError) -> SigningCA {
        try profile.validate()
        let key = try sources.keys.makeKey(profile.key)
        let subject = try Self.subject(profile)
        let now = sources.currentTime()
        let certificate = try build("the root certificate") {
            try Certificate(
                version: .v3, serialNumber: sources.serial(), publicKey: key.publicKey,
                notValidBefore: now, notValidAfter: now.addingTimeInterval(Double(profile.validityDays) * 86_400),
                issuer: subject, subject: subject, signatureAlgorithm: Self.signatureAlgorithm(for: key),
                extensions: Certificate.Extensions {
                    SubjectKeyIdentifier(hash: key.publicKey)
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(Self.caKeyUsage)
                },
                issuerPrivateKey: key)
        }
        return SigningCA(certificate: certificate, privateKey: key, chain: [], roots: [certificate])
    }

    /// An intermediate CA signed by `root`; its chain is the intermediate followed by the root's own chain (or the
    /// root), as `cert-chain.pem` in Istio's layout.
    public func makeIntermediate(_ profile: CAProfile, signedBy root: SigningCA) throws(PKIError) -> SigningCA {
        try profile.validate()
        let key = try sources.keys.makeKey(profile.key)
        let subject = try Self.subject(profile)
        let now = sources.currentTime()
        let issuerKeyID = Self.keyIdentifier(of: root.certificate)
        let certificate = try build("the intermediate certificate") {
            try Certificate(
                version: .v3, serialNumber: sources.serial(), publicKey: key.publicKey,
                notValidBefore: now, notValidAfter: now.addingTimeInterval(Double(profile.validityDays) * 86_400),
                issuer: root.certificate.subject, subject: subject,
                signatureAlgorithm: Self.signatureAlgorithm(for: root.privateKey),
                extensions: Certificate.Extensions {
                    SubjectKeyIdentifier(hash: key.publicKey)
                    AuthorityKeyIdentifier(keyIdentifier: issuerKeyID)
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(Self.caKeyUsage)
                    if !profile.dnsNames.isEmpty {
                        SubjectAlternativeNames(profile.dnsNames.map { GeneralName.dnsName($0) })
                    }
                },
                issuerPrivateKey: root.privateKey)
        }
        let above = root.chain.isEmpty ? [root.certificate] : root.chain
        return SigningCA(certificate: certificate, privateKey: key, chain: [certificate] + above, roots: root.roots)
    }

    /// The key usage of Istio's CA certificates.
    static let caKeyUsage = KeyUsage(digitalSignature: true, nonRepudiation: true, keyEncipherment: true, keyCertSign: true)

    /// `O=…, CN=…[, L=…]` in the order of Istio's `req_dn` sections.
    static func subject(_ profile: CAProfile) throws(PKIError) -> DistinguishedName {
        var attributes: [RelativeDistinguishedName.Attribute] = [
            .init(type: .RDNAttributeType.organizationName, utf8String: profile.organization),
            .init(type: .RDNAttributeType.commonName, utf8String: profile.commonName),
        ]
        if let locality = profile.locality {
            attributes.append(.init(type: .RDNAttributeType.localityName, utf8String: locality))
        }
        return DistinguishedName(attributes.map { RelativeDistinguishedName($0) })
    }

    /// The issuer's subject key identifier, or the SHA-1 hash of its key when it has none.
    static func keyIdentifier(of issuer: Certificate) -> ArraySlice<UInt8> {
        if let ski = try? issuer.extensions.subjectKeyIdentifier { return ski.keyIdentifier }
        return SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
    }

    /// SHA-256 for RSA and P-256 keys, SHA-384 for P-384: what OpenSSL picks with `default_md = sha256`
    /// except that a P-384 key gets its matching hash.
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        let supported = key.supportedSignatureAlgorithms
        if supported.contains(.sha256WithRSAEncryption) { return .sha256WithRSAEncryption }
        if PrivateKeyPEM.describe(key.publicKey) == "ECDSA P-384" { return .ecdsaWithSHA384 }
        return supported.contains(.ecdsaWithSHA256) ? .ecdsaWithSHA256 : (supported.first ?? .sha256WithRSAEncryption)
    }

    private func build(_ what: String, _ body: () throws -> Certificate) throws(PKIError) -> Certificate {
        do {
            return try body()
        } catch {
            throw PKIError(.io, "could not sign \(what): \(error)", underlying: error)
        }
    }
}

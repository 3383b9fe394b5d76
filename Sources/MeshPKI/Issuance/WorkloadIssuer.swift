import Foundation
import X509

/// Issues workload certificates the way Istio's CA does.
///
/// Empty subject; a critical URI SAN with the SPIFFE ID; keyUsage critical digitalSignature, keyEncipherment;
/// EKU serverAuth, clientAuth; basicConstraints critical CA:FALSE; an authorityKeyIdentifier; a random serial below
/// 2^128; NotBefore two minutes in the past (clock skew) and NotAfter clamped to the CA's own NotAfter.
public struct WorkloadIssuer: Sendable {
    /// How far NotBefore is moved back to tolerate clock skew (Istio's grace period).
    public static let clockSkewGrace: TimeInterval = 120

    /// The CA that signs.
    public var ca: SigningCA
    /// Time, serials and keys.
    public var sources: PKISources

    public init(ca: SigningCA, sources: PKISources = .system) {
        self.ca = ca
        self.sources = sources
    }

    /// A new key and certificate for `identity`, valid for `ttl` seconds (at most until the CA expires).
    public func issue(for identity: SPIFFEID, ttl: TimeInterval = 86_400, key spec: KeySpec = .p256) throws(PKIError) -> IssuedWorkload {
        guard ttl > 0 else {
            throw PKIError(.invalidParameter, "the certificate lifetime must be positive")
        }
        let now = sources.currentTime()
        try SigningCA.checkSigner(ca.certificate, file: "the CA certificate", now: now)
        let key = try sources.keys.makeKey(spec)
        let notAfter = min(now.addingTimeInterval(ttl), ca.certificate.notValidAfter)
        let issuerKeyID = CAGenerator.keyIdentifier(of: ca.certificate)
        let certificate: Certificate
        do {
            certificate = try Certificate(
                version: .v3, serialNumber: sources.serial(), publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-Self.clockSkewGrace), notValidAfter: notAfter,
                issuer: ca.certificate.subject, subject: DistinguishedName(),
                signatureAlgorithm: CAGenerator.signatureAlgorithm(for: ca.privateKey),
                extensions: Certificate.Extensions {
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    Critical(BasicConstraints.notCertificateAuthority)
                    AuthorityKeyIdentifier(keyIdentifier: issuerKeyID)
                    Critical(SubjectAlternativeNames([.uniformResourceIdentifier(identity.description)]))
                },
                issuerPrivateKey: ca.privateKey)
        } catch {
            throw PKIError(.io, "could not sign the workload certificate: \(error)", underlying: error)
        }
        let chain = ca.chain.isEmpty ? [ca.certificate] : ca.chain
        return IssuedWorkload(certificate: certificate, privateKey: key, chain: [certificate] + chain, roots: ca.roots)
    }
}

/// A workload certificate with its key, the chain to send (leaf first) and the roots to trust.
public struct IssuedWorkload: Sendable {
    /// The leaf certificate.
    public var certificate: Certificate
    /// Its private key.
    public var privateKey: Certificate.PrivateKey
    /// `cert-chain.pem`: the leaf followed by the CA's chain.
    public var chain: [Certificate]
    /// `root-cert.pem`.
    public var roots: [Certificate]
}

import Foundation
import X509

/// A CA that can sign: its certificate and key, the chain above it and the roots that anchor it.
///
/// For a root, `chain` is empty and `roots` holds the root itself. For an intermediate made by `CAGenerator` (or
/// Istio's Makefile), `chain` is `cert-chain.pem` (the intermediate followed by the root).
public struct SigningCA: Sendable {
    /// The signing certificate.
    public var certificate: Certificate
    /// Its private key.
    public var privateKey: Certificate.PrivateKey
    /// `cert-chain.pem`: the signing certificate first, each certificate followed by its issuer.
    public var chain: [Certificate]
    /// `root-cert.pem`: the trust anchors.
    public var roots: [Certificate]

    public init(certificate: Certificate, privateKey: Certificate.PrivateKey, chain: [Certificate], roots: [Certificate]) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.chain = chain
        self.roots = roots
    }

    /// A root CA from `root-cert.pem` and `root-key.pem` in `directory`; checks that the key matches, the
    /// certificate is a CA and it is valid now.
    public static func loadRoot(directory: String, now: Date) throws(PKIError) -> SigningCA {
        let certFile = try PEMFile.read(path: join(directory, "root-cert.pem"))
        let keyFile = try PEMFile.read(path: join(directory, "root-key.pem"))
        let certificates = try certFile.certificates()
        let key = try keyFile.privateKey()
        guard let root = certificates.first(where: { $0.publicKey == key.publicKey }) else {
            throw PKIError.bad("the key does not match the certificate in \(certFile.name)", file: keyFile.name)
        }
        try checkSigner(root, file: certFile.name, now: now)
        return SigningCA(certificate: root, privateKey: key, chain: [], roots: [root])
    }

    /// A signing CA from a plug-in bundle directory (either layout), validated the way istiod validates it.
    public static func loadBundle(directory: String, now: Date) async throws(PKIError) -> SigningCA {
        try await load(CABundle.read(directory: directory), now: now)
    }

    /// A signing CA from a plug-in bundle already read (from files or a `cacerts` secret), validated the way
    /// istiod validates it; throws `badMaterial` listing every problem.
    public static func load(_ bundle: CABundle, now: Date) async throws(PKIError) -> SigningCA {
        let report = await BundleValidator(now: now).validate(bundle)
        try report.requireValid(source: bundle.source)
        guard let material = report.material else {
            throw PKIError.bad("the bundle in \(bundle.source) could not be read")
        }
        return SigningCA(
            certificate: material.signingCertificate, privateKey: material.privateKey, chain: material.chain,
            roots: material.roots)
    }

    /// A self-signed CA from PEM text (a certificate and its key), as istiod keeps its own root in
    /// `istio-ca-secret`; checks that the key matches and that the certificate may sign now.
    public static func selfSigned(certificate: PEMFile, key: PEMFile, now: Date) throws(PKIError) -> SigningCA {
        guard let root = try certificate.certificates().first else {
            throw PKIError.bad("no certificate", file: certificate.name)
        }
        let privateKey = try key.privateKey()
        guard root.publicKey == privateKey.publicKey else {
            throw PKIError.bad("the key does not match the certificate in \(certificate.name)", file: key.name)
        }
        try checkSigner(root, file: certificate.name, now: now)
        return SigningCA(certificate: root, privateKey: privateKey, chain: [], roots: [root])
    }

    /// The PEM text of the certificate and of the key.
    public func pem() throws(PKIError) -> (certificate: String, key: String) {
        (try PEMText.certificates([certificate]), try PrivateKeyPEM.encode(privateKey))
    }

    /// Throws unless `certificate` may sign certificates at `now`: a CA, allowed to sign certificates, valid.
    static func checkSigner(_ certificate: Certificate, file: String, now: Date) throws(PKIError) {
        let name = CertificateNames.display(certificate.subject)
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw PKIError.bad("\(name) is not a CA certificate (basicConstraints CA:TRUE is missing)", file: file)
        }
        if let usage = try? certificate.extensions.keyUsage, !usage.keyCertSign {
            throw PKIError.bad("\(name) is not allowed to sign certificates (keyUsage lacks keyCertSign)", file: file)
        }
        if now > certificate.notValidAfter {
            throw PKIError.bad("\(name) expired on \(Timestamps.text(certificate.notValidAfter))", file: file)
        }
        if now < certificate.notValidBefore {
            throw PKIError.bad("\(name) is not valid before \(Timestamps.text(certificate.notValidBefore))", file: file)
        }
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

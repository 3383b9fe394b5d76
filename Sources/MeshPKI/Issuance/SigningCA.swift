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
        let bundle = try CABundle.read(directory: directory)
        let report = await BundleValidator(now: now).validate(bundle)
        try report.requireValid(source: directory)
        guard let material = report.material else {
            throw PKIError.bad("the bundle in \(directory) could not be read")
        }
        return SigningCA(
            certificate: material.signingCertificate, privateKey: material.privateKey, chain: material.chain,
            roots: material.roots)
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

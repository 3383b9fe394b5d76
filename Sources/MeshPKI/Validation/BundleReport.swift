import X509

/// What validating a plug-in CA bundle found: errors that make istiod reject it, warnings (such as a certificate
/// that expires within 30 days), and the parsed material when every file could be read.
public struct BundleReport: Sendable {
    /// The layout of the bundle.
    public var layout: CABundle.Layout
    /// Problems that make the bundle unusable; each names the file.
    public var errors: [String]
    /// Problems that do not stop istiod but need attention.
    public var warnings: [String]
    /// The parsed bundle, when all files parsed (it may still have errors).
    public var material: BundleMaterial?

    /// Whether istiod would accept the bundle.
    public var isValid: Bool { errors.isEmpty && material != nil }

    /// Throws a `badMaterial` error listing every problem, unless the bundle is valid.
    public func requireValid(source: String) throws(PKIError) {
        guard !isValid else { return }
        let list = errors.isEmpty ? ["the bundle could not be read"] : errors
        let body = list.count == 1 ? list[0] : list.map { "\n  - \($0)" }.joined()
        throw PKIError.bad("the CA bundle in \(source) is not valid: \(body)")
    }
}

/// A parsed plug-in CA bundle.
public struct BundleMaterial: Sendable {
    /// The signing certificate (`ca-cert.pem`, or the first certificate of `tls.crt`).
    public var signingCertificate: Certificate
    /// Its private key.
    public var privateKey: Certificate.PrivateKey
    /// The chain istiod hands out with workload certificates (`cert-chain.pem`, or `tls.crt` followed by `ca.crt`).
    public var chain: [Certificate]
    /// The roots (`root-cert.pem` or `ca.crt`).
    public var roots: [Certificate]
    /// The number of CRLs in `ca-crl.pem`, when present.
    public var crlCount: Int?

    /// Every distinct certificate of the bundle with its role (signing, intermediate, root), signing first.
    public var labelledCertificates: [(role: String, certificate: Certificate)] {
        var seen = Set<Certificate>()
        var result: [(String, Certificate)] = []
        for certificate in [signingCertificate] + chain + roots where seen.insert(certificate).inserted {
            let role = certificate == signingCertificate ? "signing" : roots.contains(certificate) ? "root" : "intermediate"
            result.append((role, certificate))
        }
        return result
    }
}

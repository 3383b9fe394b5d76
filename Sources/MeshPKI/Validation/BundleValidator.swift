import Foundation
import SwiftASN1
import X509

/// Validates a plug-in CA bundle as istiod does before it will sign with it, and a little more, so problems show
/// up before the secret is written rather than when istiod restarts.
///
/// istiod's checks: the signing certificate verifies against `root-cert.pem` through `cert-chain.pem`, the key
/// parses and matches the certificate, and with a `ca-crl.pem` every certificate of `cert-chain.pem` has a CRL it
/// signed. meshctl adds: the signing certificate is a CA that may sign certificates, `cert-chain.pem` starts with
/// it and each certificate is followed by its issuer, nothing is expired or not yet valid, and a warning when a
/// certificate has less than 30 days left.
public struct BundleValidator: Sendable {
    /// How close to expiry a certificate draws a warning.
    public static let expiryWarning: TimeInterval = 30 * 86_400

    /// The time to validate at.
    public var now: Date

    public init(now: Date) {
        self.now = now
    }

    /// Validates `bundle`; never throws: every problem is in the report.
    public func validate(_ bundle: CABundle) async -> BundleReport {
        var report = BundleReport(layout: bundle.layout, errors: [], warnings: [], material: nil)
        let missing = bundle.missingFiles
        guard missing.isEmpty else {
            let needed = bundle.layout.requiredFiles.joined(separator: ", ")
            report.errors = missing.map { "missing \($0) in \(bundle.source) (a \(bundle.layout.rawValue) bundle needs \(needed))" }
            return report
        }
        let layout = bundle.layout
        func file(_ name: String) -> PEMFile { bundle.files[name] ?? PEMFile(name: name, text: "") }

        var signingFileCertificates: [Certificate] = []
        var key: Certificate.PrivateKey?
        var chainFile: [Certificate] = []
        var roots: [Certificate] = []
        collect(&report) { () throws(PKIError) in signingFileCertificates = try file(layout.signingCertificateFile).certificates() }
        collect(&report) { () throws(PKIError) in key = try file(layout.keyFile).privateKey() }
        if layout == .istio {
            let chainText = file(layout.chainFile)
            if !chainText.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                collect(&report) { () throws(PKIError) in chainFile = try chainText.certificates() }
            }
        }
        collect(&report) { () throws(PKIError) in roots = try file(layout.rootFile).certificates() }
        guard report.errors.isEmpty, let signing = signingFileCertificates.first, let key else { return report }

        let signingName = file(layout.signingCertificateFile).name
        if layout == .istio, signingFileCertificates.count > 1 {
            report.errors.append("\(signingName): expected one certificate, found \(signingFileCertificates.count) (put the chain in cert-chain.pem)")
        }
        // In the TLS layout tls.crt is the chain, and ca.crt follows it.
        let chain = layout == .istio ? chainFile : signingFileCertificates + roots
        checkKey(key, matches: signing, keyName: file(layout.keyFile).name, certificateName: signingName, into: &report)
        checkSigner(signing, name: signingName, into: &report)
        if layout == .istio {
            checkOrder(chainFile, signing: signing, roots: roots, name: file(layout.chainFile).name, into: &report)
        } else {
            checkOrder(signingFileCertificates, signing: signing, roots: roots, name: signingName, into: &report)
        }
        checkValidity(signing: signing, chain: chain, roots: roots, bundle: bundle, into: &report)

        let verification = await ChainVerifier(now: now).verify(leaf: signing, intermediates: chain, roots: roots)
        if !verification.isValid {
            let chainName = layout == .istio ? "cert-chain.pem" : "tls.crt"
            for reason in verification.reasons where !report.errors.contains(where: { $0.hasSuffix(reason) }) {
                report.errors.append("\(signingName) does not verify against \(file(layout.rootFile).name) through \(chainName): \(reason)")
            }
        }
        var crlCount: Int?
        if layout == .istio, let crlFile = bundle.files["ca-crl.pem"] {
            crlCount = checkCRL(crlFile, chain: chainFile.isEmpty ? [signing] : chainFile, into: &report)
        }
        report.material = BundleMaterial(
            signingCertificate: signing, privateKey: key, chain: chain.isEmpty ? [signing] : chain, roots: roots,
            crlCount: crlCount)
        return report
    }

    private func collect(_ report: inout BundleReport, _ body: () throws(PKIError) -> Void) {
        do {
            try body()
        } catch {
            report.errors.append(error.description)
        }
    }

    private func checkKey(
        _ key: Certificate.PrivateKey, matches certificate: Certificate, keyName: String, certificateName: String,
        into report: inout BundleReport
    ) {
        guard key.publicKey != certificate.publicKey else { return }
        let keyKind = PrivateKeyPEM.algorithmAndSize(key.publicKey), certKind = PrivateKeyPEM.algorithmAndSize(certificate.publicKey)
        let keyText = PrivateKeyPEM.describe(key.publicKey), certText = PrivateKeyPEM.describe(certificate.publicKey)
        if keyKind.algorithm != certKind.algorithm {
            report.errors.append("\(keyName): the key is \(keyText) but the certificate in \(certificateName) has an \(certText) key (wrong key type)")
        } else if keyKind.bits != certKind.bits {
            report.errors.append("\(keyName): the key does not match the certificate in \(certificateName) (the key is \(keyText), the certificate's \(certText))")
        } else {
            report.errors.append("\(keyName): the key does not match the certificate in \(certificateName) (it belongs to a different certificate)")
        }
    }

    private func checkSigner(_ certificate: Certificate, name: String, into report: inout BundleReport) {
        let label = CertificateNames.label(certificate)
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            report.errors.append("\(name): \(label) is not a CA certificate (basicConstraints CA:TRUE is missing); istiod cannot sign with it")
            return
        }
        if let usage = try? certificate.extensions.keyUsage, !usage.keyCertSign {
            report.errors.append("\(name): \(label) is not allowed to sign certificates (keyUsage lacks keyCertSign)")
        }
    }

    /// The chain file must start with the signing certificate, and each certificate must be followed by its issuer.
    private func checkOrder(
        _ chain: [Certificate], signing: Certificate, roots: [Certificate], name: String, into report: inout BundleReport
    ) {
        if chain.isEmpty {
            if !roots.contains(signing) {
                report.errors.append("\(name) is empty; it must hold the signing certificate followed by its issuers")
            }
            return
        }
        if chain[0] != signing {
            if let position = chain.firstIndex(of: signing) {
                report.errors.append("\(name) is in the wrong order: the signing certificate is certificate \(position + 1); it must come first, each certificate followed by its issuer")
            } else {
                report.errors.append("\(name) does not start with the signing certificate \(CertificateNames.label(signing))")
            }
            return
        }
        for index in chain.indices.dropLast() {
            let (lower, upper) = (chain[index], chain[index + 1])
            if lower.issuer != upper.subject || !upper.publicKey.isValidSignature(lower.signature, for: lower) {
                report.errors.append("\(name) is in the wrong order: certificate \(index + 2) (\(CertificateNames.label(upper))) did not issue certificate \(index + 1) (\(CertificateNames.label(lower))); each certificate must be followed by its issuer")
                return
            }
        }
    }

    private func checkValidity(
        signing: Certificate, chain: [Certificate], roots: [Certificate], bundle: CABundle, into report: inout BundleReport
    ) {
        let layout = bundle.layout
        var seen = Set<Certificate>()
        let labelled = [(layout.signingCertificateFile, signing)] + chain.map { (layout.chainFile, $0) } + roots.map { (layout.rootFile, $0) }
        for (fileKey, certificate) in labelled where seen.insert(certificate).inserted {
            let name = bundle.files[fileKey]?.name ?? fileKey
            if let problem = ValidityPeriodPolicy.problem(certificate, at: now) {
                report.errors.append("\(name): \(problem)")
            } else if certificate.notValidAfter.timeIntervalSince(now) < Self.expiryWarning {
                report.warnings.append("\(name): \(CertificateNames.label(certificate)) expires in \(Timestamps.remaining(until: certificate.notValidAfter, from: now)) (\(Timestamps.text(certificate.notValidAfter))); rotate it soon")
            }
        }
    }

    /// Every CA of the chain must have signed one of the CRLs (Envoy rejects a partial set).
    private func checkCRL(_ file: PEMFile, chain: [Certificate], into report: inout BundleReport) -> Int? {
        let documents: [PEMDocument]
        do {
            documents = try file.documents()
        } catch {
            report.errors.append(error.description)
            return nil
        }
        var lists: [CertificateRevocationList] = []
        for (index, document) in documents.enumerated() {
            guard document.discriminator == "X509 CRL" else {
                report.errors.append("\(file.name): expected X509 CRL blocks, but block \(index + 1) is \(document.discriminator)")
                return nil
            }
            do {
                lists.append(try CertificateRevocationList(derEncoded: document.derBytes))
            } catch {
                report.errors.append("\(file.name): CRL \(index + 1) is malformed: \(PEMFile.reason(error))")
                return nil
            }
        }
        for certificate in chain where !lists.contains(where: { $0.isSigned(by: certificate) }) {
            report.errors.append("\(file.name) has no CRL signed by \(CertificateNames.label(certificate)); istiod needs one for every certificate in cert-chain.pem")
        }
        return lists.count
    }
}

import Foundation
import SwiftASN1
import X509

/// Explains why a certificate does not verify, by walking from it towards the roots one issuer at a time.
struct ChainDiagnosis {
    let now: Date
    let intermediates: [Certificate]
    let roots: [Certificate]

    /// Extensions the verifier understands when they are marked critical.
    static let handledCritical: Set<ASN1ObjectIdentifier> = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.nameConstraints,
        .X509ExtensionID.subjectAlternativeName, .X509ExtensionID.extendedKeyUsage,
    ]

    /// The problems found on the way up, in order; empty when the walk finds nothing wrong (the verifier's own
    /// reasons are used then).
    func reasons(for leaf: Certificate) -> [String] {
        var reasons: [String] = []
        var current = leaf
        var caCertificatesBelow = 0
        var visited: Set<Certificate> = [leaf]
        check(current, into: &reasons)
        for _ in 0..<16 {
            if roots.contains(current) { break }
            let candidates = (intermediates + roots).filter { $0 != current && $0.subject == current.issuer }
            guard !candidates.isEmpty else {
                reasons.append(
                    "wrong issuer: \(CertificateNames.label(current)) was issued by \"\(CertificateNames.display(current.issuer))\", which is neither a root nor in the chain")
                break
            }
            let signers = candidates.filter { $0.publicKey.isValidSignature(current.signature, for: current) }
            guard let issuer = signers.first(where: { roots.contains($0) }) ?? signers.first else {
                reasons.append(
                    "bad signature: the signature of \(CertificateNames.label(current)) does not verify with the key of \(CertificateNames.label(candidates[0]))")
                break
            }
            if let problem = Self.signerProblem(issuer, issued: current, caCertificatesBelow: caCertificatesBelow) {
                reasons.append(problem)
            }
            check(issuer, into: &reasons)
            if roots.contains(issuer) || !visited.insert(issuer).inserted { break }
            // The issuer becomes an intermediate below the next issuer; self-issued ones don't count (RFC 5280).
            if issuer.issuer != issuer.subject { caCertificatesBelow += 1 }
            current = issuer
        }
        return ChainVerifier.unique(reasons)
    }

    /// Expiry and unhandled critical extensions of one certificate.
    private func check(_ certificate: Certificate, into reasons: inout [String]) {
        if let problem = ValidityPeriodPolicy.problem(certificate, at: now) {
            reasons.append(problem)
        }
        for item in certificate.extensions where item.critical && !Self.handledCritical.contains(item.oid) {
            reasons.append("\(CertificateNames.label(certificate)) has a critical extension meshctl does not understand (\(item.oid))")
        }
    }

    /// Why `issuer` may not have issued `issued`: not a CA, no keyCertSign, path length exceeded.
    static func signerProblem(_ issuer: Certificate, issued: Certificate, caCertificatesBelow: Int) -> String? {
        let name = CertificateNames.label(issuer)
        let constraints = try? issuer.extensions.basicConstraints
        switch constraints {
        case .some(.isCertificateAuthority(let maxPathLength)):
            if let maxPathLength, caCertificatesBelow > maxPathLength {
                return "path length: \(name) allows \(maxPathLength) CA certificate(s) below it, but the chain has \(caCertificatesBelow)"
            }
        case .some(.notCertificateAuthority), .none:
            if issuer.version != .v1 {
                return "not a CA: \(name) signed \(CertificateNames.label(issued)) but is not a CA certificate (basicConstraints CA:TRUE missing)"
            }
        }
        if let usage = try? issuer.extensions.keyUsage, !usage.keyCertSign {
            return "not a CA: \(name) is not allowed to sign certificates (keyUsage lacks keyCertSign)"
        }
        return nil
    }
}

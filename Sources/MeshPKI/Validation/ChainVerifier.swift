@_spi(DisableValidityCheck) import X509
import Foundation
import SwiftASN1

/// Verifies a certificate up to a set of roots through a pool of intermediates (order does not matter), the way
/// Go's `x509.Certificate.Verify` does for istiod, with swift-certificates' RFC 5280 policy deciding.
///
/// When no path verifies, it walks from the certificate towards the roots itself to say why, in words: expired or
/// not yet valid, no certificate with the issuer's name, a signature that does not verify, an issuer that is not a
/// CA or may not sign certificates, a path length or name constraint that is broken.
public struct ChainVerifier: Sendable {
    /// The time certificates must be valid at.
    public var now: Date

    public init(now: Date) {
        self.now = now
    }

    /// Verifies `leaf` against `roots` with `intermediates` as candidates.
    public func verify(leaf: Certificate, intermediates: [Certificate], roots: [Certificate]) async -> ChainVerification {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy.withValidityCheckDisabled()
            ValidityPeriodPolicy(now: now)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate(let chain):
            return ChainVerification(chain: Array(chain), reasons: [])
        case .couldNotValidate(let failures):
            var reasons = ChainDiagnosis(now: now, intermediates: intermediates, roots: roots).reasons(for: leaf)
            if reasons.isEmpty {
                reasons = Self.unique(failures.map { Self.shorten($0.policyFailureReason.description) })
            }
            if reasons.isEmpty {
                reasons = ["no path from \(CertificateNames.label(leaf)) to a trusted root could be built"]
            }
            return ChainVerification(chain: nil, reasons: reasons)
        }
    }

    /// swift-certificates reasons embed whole certificate dumps; keep them readable.
    static func shorten(_ reason: String) -> String {
        var text = reason
        if text.hasPrefix("RFC5280Policy: ") { text.removeFirst("RFC5280Policy: ".count) }
        if text.lowercased().contains("name constraint") && text.count > 240 {
            return "a name in the certificate violates the name constraints of a CA in the chain"
        }
        return text.count > 240 ? String(text.prefix(240)) + "…" : text
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

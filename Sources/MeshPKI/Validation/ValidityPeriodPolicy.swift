import Foundation
import SwiftASN1
import X509

/// Checks every certificate of a candidate chain against an injected time, and declares the extensions Istio puts
/// in critical form on workload certificates (URI SAN) as handled.
///
/// It replaces the expiry part of `RFC5280Policy`, whose only fixed-time initialisers are deprecated or SPI, so
/// tests can move the clock.
struct ValidityPeriodPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.subjectAlternativeName,
        .X509ExtensionID.extendedKeyUsage,
    ]

    /// The time certificates must be valid at.
    let now: Date

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        for certificate in chain {
            if let problem = Self.problem(certificate, at: now) {
                return .failsToMeetPolicy(reason: problem)
            }
        }
        return .meetsPolicy
    }

    /// `"CN=…" expired on …` or `"CN=…" is not valid before …`, or nil when `certificate` is valid at `now`.
    static func problem(_ certificate: Certificate, at now: Date) -> String? {
        let name = CertificateNames.label(certificate)
        if certificate.notValidBefore > certificate.notValidAfter {
            return "\(name) has a validity period that ends before it starts"
        }
        if now > certificate.notValidAfter {
            return "\(name) expired on \(Timestamps.text(certificate.notValidAfter))"
        }
        if now < certificate.notValidBefore {
            return "\(name) is not yet valid (not before \(Timestamps.text(certificate.notValidBefore)))"
        }
        return nil
    }
}

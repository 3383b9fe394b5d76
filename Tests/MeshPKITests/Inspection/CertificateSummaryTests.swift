import Foundation
import MeshCore
import MeshPKI
import Testing
import X509

@Suite struct CertificateSummaryTests {
    @Test func intermediateSummaryHasEveryFact() throws {
        let certificate = TestPKI.shared.intermediate.certificate
        let summary = CertificateSummary(certificate, now: TestPKI.fixedNow.addingTimeInterval(86_400))
        #expect(summary.subject == "O=Istio, CN=Intermediate CA, L=cluster1")
        #expect(summary.issuer == "O=Istio, CN=Root CA")
        #expect(summary.timeLeft == "729d")
        #expect(summary.isCurrentlyValid)
        #expect(summary.keyAlgorithm == "ECDSA" && summary.keyBits == 256)
        #expect(summary.isCA == true && summary.pathLength == 0)
        #expect(summary.keyUsage == ["digitalSignature", "nonRepudiation", "keyEncipherment", "keyCertSign"])
        #expect(summary.subjectAlternativeNames == ["DNS:istiod.istio-system.svc"])
        #expect(try summary.authorityKeyIdentifier == TestPKI.shared.root.certificate.extensions.subjectKeyIdentifier.map { CertificateSummary.hex($0.keyIdentifier) })
        #expect(summary.sha256Fingerprint.count == 32 * 3 - 1)
    }

    @Test func spiffeIDsAreShownAsSuch() throws {
        let issued = try WorkloadIssuer(ca: TestPKI.shared.intermediate, sources: TestPKI.sources())
            .issue(for: SPIFFEID(parsing: "spiffe://td/ns/foo/sa/bar"))
        let summary = CertificateSummary(issued.certificate, now: TestPKI.fixedNow)
        #expect(summary.subject == "(empty)")
        #expect(summary.subjectAlternativeNames == ["SPIFFE:spiffe://td/ns/foo/sa/bar"])
        #expect(summary.spiffeIDs == ["spiffe://td/ns/foo/sa/bar"])
        #expect(summary.extendedKeyUsage == ["serverAuth", "clientAuth"])
        #expect(summary.isCA == false)
        #expect(summary.value["spiffeIDs"] == ["spiffe://td/ns/foo/sa/bar"])
    }

    @Test func expiredCertificatesSayHowLongAgo() {
        let certificate = TestPKI.shared.intermediate.certificate
        let summary = CertificateSummary(certificate, now: certificate.notValidAfter.addingTimeInterval(3 * 86_400 + 3600))
        #expect(summary.timeLeft == "expired 3d1h ago")
        #expect(!summary.isCurrentlyValid)
        #expect(summary.value["valid"] == false)
    }

    @Test(.enabled(if: OpenSSL.isAvailable, "openssl is not installed"))
    func fingerprintMatchesOpenSSL() throws {
        let certificate = TestPKI.shared.root.certificate
        let directory = try TestPKI.temporaryDirectory()
        try PEMText.certificates([certificate]).write(toFile: "\(directory)/c.pem", atomically: true, encoding: .utf8)
        let output = try OpenSSL.run(["x509", "-in", "\(directory)/c.pem", "-noout", "-fingerprint", "-sha256"]).output
        let summary = CertificateSummary(certificate, now: TestPKI.fixedNow)
        #expect(output.contains(summary.sha256Fingerprint))
        let serial = try OpenSSL.run(["x509", "-in", "\(directory)/c.pem", "-noout", "-serial"]).output
        #expect(serial.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=" + summary.serialNumber.replacingOccurrences(of: ":", with: ""))
    }
}

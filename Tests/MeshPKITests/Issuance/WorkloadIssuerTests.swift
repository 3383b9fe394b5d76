import Foundation
import MeshPKI
import Testing
import X509

@Suite struct WorkloadIssuerTests {
    let identity: SPIFFEID

    init() throws {
        identity = try SPIFFEID(parsing: "spiffe://cluster.local/ns/default/sa/bookinfo")
    }

    @Test func workloadCertificateLooksLikeIstiosCA() throws {
        let now = TestPKI.fixedNow.addingTimeInterval(3600)
        let issuer = WorkloadIssuer(ca: TestPKI.shared.intermediate, sources: TestPKI.sources(now: now))
        let issued = try issuer.issue(for: identity)
        let leaf = issued.certificate
        #expect(leaf.subject.isEmpty)
        let san = try #require(leaf.extensions.first { $0.oid == .X509ExtensionID.subjectAlternativeName })
        #expect(san.critical)
        #expect(try leaf.extensions.subjectAlternativeNames == SubjectAlternativeNames([.uniformResourceIdentifier("spiffe://cluster.local/ns/default/sa/bookinfo")]))
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true, keyEncipherment: true))
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth, .clientAuth]))
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(leaf.notValidBefore == now.addingTimeInterval(-120))
        #expect(leaf.notValidAfter == now.addingTimeInterval(86_400))
        #expect(issued.chain.first == leaf)
        #expect(Array(issued.chain.dropFirst()) == TestPKI.shared.intermediate.chain)
        #expect(PrivateKeyPEM.describe(leaf.publicKey) == "ECDSA P-256")
    }

    @Test func lifetimeIsClampedToTheCAsExpiry() throws {
        let ca = TestPKI.shared.intermediate
        let now = ca.certificate.notValidAfter.addingTimeInterval(-600)
        let issued = try WorkloadIssuer(ca: ca, sources: TestPKI.sources(now: now)).issue(for: identity, ttl: 86_400)
        #expect(issued.certificate.notValidAfter == ca.certificate.notValidAfter)
    }

    @Test func anExpiredCADoesNotIssue() {
        let ca = TestPKI.shared.intermediate
        let later = ca.certificate.notValidAfter.addingTimeInterval(60)
        let error = #expect(throws: PKIError.self) {
            try WorkloadIssuer(ca: ca, sources: TestPKI.sources(now: later)).issue(for: identity)
        }
        #expect(error?.code == .badMaterial)
        #expect(error?.message.contains("expired") == true)
    }

    @Test func randomSerialsAreAtMost128BitsAndDistinct() {
        let serials = (0..<200).map { _ in PKISources.randomSerial() }
        #expect(Set(serials).count == 200)
        // 16 random bytes, plus a sign byte when the top bit is set.
        #expect(serials.allSatisfy { $0.bytes.count <= 17 && ($0.bytes.count < 17 || $0.bytes.first == 0) })
    }

    @Test(arguments: [
        "http://cluster.local/ns/a/sa/b", "spiffe://cluster.local/ns/a", "spiffe:///ns/a/sa/b",
        "spiffe://Cluster.Local/ns/a/sa/b", "spiffe://td/ns//sa/b", "spiffe://td/namespace/a/sa/b",
    ])
    func malformedSPIFFEIDsAreRejected(text: String) {
        #expect(throws: PKIError.self) { try SPIFFEID(parsing: text) }
    }

    @Test(.enabled(if: OpenSSL.isAvailable, "openssl is not installed"))
    func opensslVerifiesTheWorkloadChainAndReadsItsExtensions() throws {
        let generator = CAGenerator()
        let root = try generator.makeRoot(TestPKI.rootProfile)
        let ca = try generator.makeIntermediate(TestPKI.intermediateProfile(key: .rsa2048), signedBy: root)
        let issued = try WorkloadIssuer(ca: ca).issue(for: identity)
        let directory = try TestPKI.temporaryDirectory()
        try MaterialFiles.workload(issued).write(to: directory, force: false)
        try PEMText.certificates([issued.certificate]).write(toFile: "\(directory)/leaf.pem", atomically: true, encoding: .utf8)

        let verify = try OpenSSL.run([
            "verify", "-CAfile", "\(directory)/root-cert.pem", "-untrusted", "\(directory)/cert-chain.pem",
            "-purpose", "sslclient", "\(directory)/leaf.pem",
        ])
        #expect(verify.status == 0, "\(verify.output)")
        let text = try OpenSSL.run(["x509", "-in", "\(directory)/leaf.pem", "-noout", "-text"]).output
        #expect(text.contains("X509v3 Subject Alternative Name: critical\n                URI:spiffe://cluster.local/ns/default/sa/bookinfo"))
        #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment"))
        #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
        #expect(text.contains("Subject: \n") || text.contains("Subject:\n"))
        let key = try OpenSSL.run(["pkey", "-in", "\(directory)/key.pem", "-noout", "-text"])
        #expect(key.output.contains("NIST CURVE: P-256") || key.output.contains("prime256v1"))
    }
}

import Foundation
import MeshPKI
import Testing
import X509

@Suite struct CAGeneratorTests {
    @Test func rootHasIstioSubjectAndCriticalCAExtensions() throws {
        let root = TestPKI.shared.root.certificate
        #expect(CertificateNames.display(root.subject) == "O=Istio, CN=Root CA")
        #expect(root.subject == root.issuer)
        let constraints = try #require(root.extensions.first { $0.oid == .X509ExtensionID.basicConstraints })
        #expect(constraints.critical)
        #expect(try root.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
        let usage = try #require(try root.extensions.keyUsage)
        #expect(usage == KeyUsage(digitalSignature: true, nonRepudiation: true, keyEncipherment: true, keyCertSign: true))
        #expect(root.extensions.first { $0.oid == .X509ExtensionID.keyUsage }?.critical == true)
        #expect(try root.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: root.publicKey))
        #expect(root.signatureAlgorithm == .sha256WithRSAEncryption)
    }

    @Test func rootIsValidForTheRequestedDaysFromNow() {
        let root = TestPKI.shared.root.certificate
        #expect(root.notValidBefore == TestPKI.fixedNow)
        #expect(root.notValidAfter == TestPKI.fixedNow.addingTimeInterval(3650 * 86_400))
    }

    @Test func intermediateCarriesClusterPathLengthZeroAndIstiodSAN() throws {
        let (root, intermediate) = TestPKI.shared
        let certificate = intermediate.certificate
        #expect(CertificateNames.display(certificate.subject) == "O=Istio, CN=Intermediate CA, L=cluster1")
        #expect(certificate.issuer == root.certificate.subject)
        #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try certificate.extensions.subjectAlternativeNames == SubjectAlternativeNames([.dnsName("istiod.istio-system.svc")]))
        #expect(try certificate.extensions.authorityKeyIdentifier?.keyIdentifier == root.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(certificate.notValidAfter == TestPKI.fixedNow.addingTimeInterval(730 * 86_400))
        #expect(intermediate.chain == [certificate, root.certificate])
        #expect(intermediate.roots == [root.certificate])
    }

    @Test func meshNamespaceChangesTheIstiodSAN() {
        #expect(CAProfile.istioIntermediate(cluster: "east", meshNamespace: "mesh").dnsNames == ["istiod.mesh.svc"])
    }

    @Test func istioDefaultsAreThoseOfToolsCerts() {
        #expect(CAProfile.istioRoot.key == .rsa4096)
        #expect(CAProfile.istioRoot.validityDays == 3650)
        #expect(CAProfile.istioIntermediate(cluster: "c").validityDays == 730)
        #expect(CAProfile.istioIntermediate(cluster: "c").key == .rsa4096)
    }

    @Test(arguments: [(KeySpec.Algorithm.rsa, 1024), (.rsa, 8192), (.ecdsa, 521), (.ecdsa, 2048)])
    func unsupportedKeySizesAreRejected(algorithm: KeySpec.Algorithm, size: Int) {
        #expect(throws: PKIError.self) { try KeySpec(algorithm, size: size) }
    }

    @Test func outOfRangeValidityIsRejected() {
        var profile = TestPKI.rootProfile
        profile.validityDays = 0
        let error = #expect(throws: PKIError.self) { try CAGenerator(sources: TestPKI.sources()).makeRoot(profile) }
        #expect(error?.code == .invalidParameter)
    }

    @Test func ecdsaP384CAsSignWithSHA384() throws {
        var profile = TestPKI.rootProfile
        profile.key = .p384
        let root = try CAGenerator(sources: TestPKI.sources()).makeRoot(profile)
        #expect(root.certificate.signatureAlgorithm == .ecdsaWithSHA384)
    }

    @Test(.enabled(if: OpenSSL.isAvailable, "openssl is not installed"))
    func opensslVerifiesIstioDefaultMaterialAndReadsEveryExtension() throws {
        // Istio's defaults exactly: RSA-4096 root and intermediate, real clock.
        let generator = CAGenerator()
        let root = try generator.makeRoot()
        let intermediate = try generator.makeIntermediate(.istioIntermediate(cluster: "cluster1"), signedBy: root)
        let directory = try TestPKI.temporaryDirectory()
        try MaterialFiles.intermediate(intermediate).write(to: directory, force: false)

        let verify = try OpenSSL.run([
            "verify", "-CAfile", "\(directory)/root-cert.pem", "-untrusted", "\(directory)/cert-chain.pem",
            "\(directory)/ca-cert.pem",
        ])
        #expect(verify.status == 0, "\(verify.output)")

        let rootText = try OpenSSL.run(["x509", "-in", "\(directory)/root-cert.pem", "-noout", "-text"]).output
        #expect(rootText.contains("Public-Key: (4096 bit)"))
        #expect(rootText.contains("Signature Algorithm: sha256WithRSAEncryption"))
        #expect(rootText.contains("X509v3 Basic Constraints: critical\n                CA:TRUE\n"))
        #expect(rootText.contains("X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign"))
        #expect(rootText.contains("X509v3 Subject Key Identifier:"))
        #expect(rootText.contains("Subject: O = Istio, CN = Root CA"))

        let caText = try OpenSSL.run(["x509", "-in", "\(directory)/ca-cert.pem", "-noout", "-text"]).output
        #expect(caText.contains("Subject: O = Istio, CN = Intermediate CA, L = cluster1"))
        #expect(caText.contains("CA:TRUE, pathlen:0"))
        #expect(caText.contains("X509v3 Subject Alternative Name: \n                DNS:istiod.istio-system.svc"))
        #expect(caText.contains("X509v3 Authority Key Identifier:"))
        #expect(caText.contains("Public-Key: (4096 bit)"))

        let key = try OpenSSL.run(["pkey", "-in", "\(directory)/ca-key.pem", "-noout", "-text"])
        #expect(key.status == 0)
        #expect(key.output.contains("4096 bit"))
    }
}

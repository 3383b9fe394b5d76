import Foundation
import MeshPKI
import Testing
import X509

@Suite struct BundleValidatorTests {
    let validator = BundleValidator(now: TestPKI.fixedNow.addingTimeInterval(86_400))

    func validate(_ files: [String: String], validator: BundleValidator? = nil) async throws -> BundleReport {
        let bundle = try CABundle.read(directory: try TestPKI.directory(with: files))
        return await (validator ?? self.validator).validate(bundle)
    }

    @Test func generatedBundleIsValid() async throws {
        let report = try await validate(TestPKI.bundleFiles(TestPKI.shared.intermediate))
        #expect(report.errors == [])
        #expect(report.warnings == [])
        #expect(report.isValid)
        #expect(report.layout == .istio)
        #expect(report.material?.signingCertificate == TestPKI.shared.intermediate.certificate)
    }

    @Test(.enabled(if: TestPKI.istioSamples != nil, "../shared/istio/samples/certs is absent; Istio's sample bundle not checked"))
    func istiosSampleBundleIsValid() async throws {
        let bundle = try CABundle.read(directory: try #require(TestPKI.istioSamples))
        let report = await BundleValidator(now: Date()).validate(bundle)
        #expect(report.errors == [])
        #expect(report.isValid)
    }

    @Test(.enabled(if: TestPKI.istioSamples != nil, "../shared/istio/samples/certs is absent; Istio's sample bundle not checked"))
    func istiosSampleWithTheAlternativeRootFails() async throws {
        let samples = try #require(TestPKI.istioSamples)
        func text(_ name: String) throws -> String { try String(contentsOfFile: "\(samples)/\(name)", encoding: .utf8) }
        var files = [
            "ca-cert.pem": try text("ca-cert.pem"), "ca-key.pem": try text("ca-key.pem"),
            "cert-chain.pem": try text("cert-chain.pem"), "root-cert.pem": try text("root-cert-alt.pem"),
        ]
        var report = try await validate(files, validator: BundleValidator(now: Date()))
        #expect(report.errors.contains { $0.contains("wrong issuer") || $0.contains("bad signature") })
        // The alternative key does not belong to the sample CA certificate.
        files["root-cert.pem"] = try text("root-cert.pem")
        files["ca-key.pem"] = try text("ca-key-alt.pem")
        report = try await validate(files, validator: BundleValidator(now: Date()))
        #expect(report.errors.contains { $0.contains("ca-key.pem: the key does not match the certificate") }, "\(report.errors)")
    }

    @Test func missingFilesAreNamed() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        files["ca-key.pem"] = nil
        let report = try await validate(files)
        #expect(!report.isValid)
        #expect(report.errors.count == 1)
        #expect(report.errors[0].hasPrefix("missing ca-key.pem in "))
    }

    @Test func garbageIsReportedWithTheFileName() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        files["root-cert.pem"] = "hello, this is not a certificate\n"
        let report = try await validate(files)
        #expect(report.errors.count == 1)
        #expect(report.errors[0].hasSuffix("root-cert.pem: not a PEM file (no \"-----BEGIN\" line found)"))
    }

    @Test func aKeyOfTheWrongTypeIsNamed() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        files["ca-key.pem"] = try PrivateKeyPEM.encode(TestPKI.shared.root.privateKey)  // RSA, the CA has ECDSA
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("ca-key.pem: the key is RSA 2048 but the certificate") && $0.contains("wrong key type") })
    }

    @Test func aCertificateInTheKeyFileIsNotAKey() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        files["ca-key.pem"] = files["ca-cert.pem"]
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("ca-key.pem: expected a private key, but the file holds CERTIFICATE") })
    }

    @Test func aKeyThatDoesNotMatchIsNamed() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        files["ca-key.pem"] = try PrivateKeyPEM.encode(KeyFactory.system.makeKey(.p256))
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("ca-key.pem: the key does not match the certificate in") })
    }

    @Test func aChainInTheWrongOrderIsNamed() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        let ca = TestPKI.shared.intermediate
        files["cert-chain.pem"] = try PEMText.certificates(ca.chain.reversed())
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("cert-chain.pem is in the wrong order: the signing certificate is certificate 2") })
    }

    @Test func anExpiredCAIsAnError() async throws {
        let ca = TestPKI.shared.intermediate
        let later = BundleValidator(now: ca.certificate.notValidAfter.addingTimeInterval(3600))
        let report = try await validate(TestPKI.bundleFiles(ca), validator: later)
        #expect(report.errors.contains { $0.contains("ca-cert.pem: \"O=Istio, CN=Intermediate CA, L=cluster1\" expired on ") })
    }

    @Test func aNotYetValidCAIsAnError() async throws {
        let earlier = BundleValidator(now: TestPKI.fixedNow.addingTimeInterval(-86_400))
        let report = try await validate(TestPKI.bundleFiles(TestPKI.shared.intermediate), validator: earlier)
        #expect(report.errors.contains { $0.contains("is not yet valid") })
    }

    @Test func fewerThan30DaysLeftIsAWarning() async throws {
        let ca = TestPKI.shared.intermediate
        let late = BundleValidator(now: ca.certificate.notValidAfter.addingTimeInterval(-10 * 86_400))
        let report = try await validate(TestPKI.bundleFiles(ca), validator: late)
        #expect(report.isValid)
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.contains("ca-cert.pem: \"O=Istio, CN=Intermediate CA, L=cluster1\" expires in 10d") == true)
    }

    @Test func aNonCASigningCertificateIsRejected() async throws {
        let workload = try WorkloadIssuer(ca: TestPKI.shared.intermediate, sources: TestPKI.sources())
            .issue(for: SPIFFEID(parsing: "spiffe://cluster.local/ns/a/sa/b"))
        let files = [
            "ca-cert.pem": try PEMText.certificates([workload.certificate]),
            "ca-key.pem": try PrivateKeyPEM.encode(workload.privateKey),
            "cert-chain.pem": try PEMText.certificates(workload.chain),
            "root-cert.pem": try PEMText.certificates(workload.roots),
        ]
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("is not a CA certificate (basicConstraints CA:TRUE is missing)") })
    }

    @Test func aRootFromAnotherMeshIsAWrongIssuer() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        var profile = TestPKI.rootProfile
        profile.commonName = "Other Root"
        profile.key = .p256
        let other = try CAGenerator(sources: TestPKI.sources()).makeRoot(profile)
        files["root-cert.pem"] = try PEMText.certificates([other.certificate])
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("does not verify against") && $0.contains("wrong issuer") })
    }

    @Test func aRootWithTheSameNameButAnotherKeyIsABadSignature() async throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        var profile = TestPKI.rootProfile
        profile.key = .p256
        let impostor = try CAGenerator(sources: TestPKI.sources()).makeRoot(profile)  // also "O=Istio, CN=Root CA"
        files["root-cert.pem"] = try PEMText.certificates([impostor.certificate])
        files["cert-chain.pem"] = try PEMText.certificates([TestPKI.shared.intermediate.certificate])
        let report = try await validate(files)
        #expect(report.errors.contains { $0.contains("bad signature") })
    }

    @Test func theKubernetesTLSLayoutIsAccepted() async throws {
        let ca = TestPKI.shared.intermediate
        let files = [
            "tls.crt": try PEMText.certificates([ca.certificate]),
            "tls.key": try PrivateKeyPEM.encode(ca.privateKey),
            "ca.crt": try PEMText.certificates(ca.roots),
        ]
        let report = try await validate(files)
        #expect(report.layout == .kubernetesTLS)
        #expect(report.errors == [])
        #expect(report.material?.chain == [ca.certificate, TestPKI.shared.root.certificate])
    }

    @Test func theKubernetesTLSLayoutNeedsCACrt() async throws {
        let ca = TestPKI.shared.intermediate
        let files = ["tls.crt": try PEMText.certificates([ca.certificate]), "tls.key": try PrivateKeyPEM.encode(ca.privateKey)]
        let report = try await validate(files)
        #expect(report.errors.count == 1)
        #expect(report.errors[0].hasPrefix("missing ca.crt in "))
    }

    @Test func secretDataHoldsTheLayoutsFilesOnly() throws {
        var files = try TestPKI.bundleFiles(TestPKI.shared.intermediate)
        files["unrelated.txt"] = "x"
        let bundle = try CABundle.read(directory: try TestPKI.directory(with: files))
        #expect(bundle.secretData.map(\.key) == ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"])
    }
}

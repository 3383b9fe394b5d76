import Foundation
import MeshPKI
import Testing
import X509

/// `ca-crl.pem` in a plug-in bundle, with real CRLs made by `openssl ca -gencrl`: istiod needs one CRL signed by
/// every certificate of `cert-chain.pem`; a CRL from another CA, a partial set or a tampered one is refused.
@Suite(.enabled(if: OpenSSL.isAvailable, "openssl is not installed: CRL interop tests skipped"))
struct CRLValidationTests {
    let root: SigningCA
    let intermediate: SigningCA
    let validator = BundleValidator(now: TestPKI.fixedNow.addingTimeInterval(86_400))

    init() throws {
        let generator = CAGenerator(sources: TestPKI.sources())
        var rootProfile = TestPKI.rootProfile
        rootProfile.key = .p256
        root = try generator.makeRoot(rootProfile)
        intermediate = try generator.makeIntermediate(TestPKI.intermediateProfile(), signedBy: root)
    }

    /// A CRL signed by `ca`, made by openssl from a minimal `[ca]` configuration, revoking `serial` when given.
    static func crl(signedBy ca: SigningCA, revoking revoked: Certificate? = nil) throws -> String {
        let directory = try TestPKI.temporaryDirectory()
        let pem = try ca.pem()
        try pem.certificate.write(toFile: "\(directory)/ca.pem", atomically: true, encoding: .utf8)
        try pem.key.write(toFile: "\(directory)/ca.key", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(directory)/index.txt", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: "\(directory)/crlnumber", atomically: true, encoding: .utf8)
        try """
            [ ca ]
            default_ca = meshctl_test
            [ meshctl_test ]
            database = \(directory)/index.txt
            crlnumber = \(directory)/crlnumber
            default_md = sha256
            default_crl_days = 30

            """.write(toFile: "\(directory)/ca.cnf", atomically: true, encoding: .utf8)
        let common = ["-config", "\(directory)/ca.cnf", "-cert", "\(directory)/ca.pem", "-keyfile", "\(directory)/ca.key"]
        if let revoked {
            try PEMText.certificates([revoked]).write(toFile: "\(directory)/revoked.pem", atomically: true, encoding: .utf8)
            let revoke = try OpenSSL.run(["ca", "-revoke", "\(directory)/revoked.pem"] + common)
            #expect(revoke.status == 0, "\(revoke.output)")
        }
        let made = try OpenSSL.run(["ca", "-gencrl", "-out", "\(directory)/crl.pem"] + common)
        #expect(made.status == 0, "\(made.output)")
        return try String(contentsOfFile: "\(directory)/crl.pem", encoding: .utf8)
    }

    func validate(crl: String) async throws -> BundleReport {
        var files = try TestPKI.bundleFiles(intermediate)
        files["ca-crl.pem"] = crl
        return await validator.validate(try CABundle.read(directory: try TestPKI.directory(with: files)))
    }

    @Test func crlsFromEveryCAOfTheChainAreAccepted() async throws {
        let workload = try WorkloadIssuer(ca: intermediate, sources: TestPKI.sources())
            .issue(for: SPIFFEID(parsing: "spiffe://cluster.local/ns/default/sa/old"))
        let crl = try Self.crl(signedBy: intermediate, revoking: workload.certificate) + Self.crl(signedBy: root)
        let report = try await validate(crl: crl)
        #expect(report.errors == [])
        #expect(report.isValid)
        #expect(report.material?.crlCount == 2)
        let bundle = try CABundle.read(directory: try TestPKI.directory(with: ["ca-crl.pem": crl]))
        #expect(bundle.files["ca-crl.pem"]?.text == crl)
    }

    @Test func aCRLSignedBySomeoneElseIsRefused() async throws {
        let stranger = try CAGenerator(sources: TestPKI.sources()).makeRoot(
            CAProfile(organization: "Elsewhere", commonName: "Root CA", validityDays: 365, key: .p256))
        let report = try await validate(crl: try Self.crl(signedBy: stranger))
        #expect(!report.isValid)
        #expect(report.errors.contains { $0.contains("ca-crl.pem has no CRL signed by \"O=Istio, CN=Intermediate CA, L=cluster1\"") },
                "\(report.errors)")
        #expect(report.errors.contains { $0.contains("ca-crl.pem has no CRL signed by \"O=Istio, CN=Root CA\"") })
    }

    @Test func aCRLMissingForTheRootIsRefused() async throws {
        let report = try await validate(crl: try Self.crl(signedBy: intermediate))
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.contains("no CRL signed by \"O=Istio, CN=Root CA\"") == true, "\(report.errors)")
    }

    @Test func aTamperedCRLIsRefused() async throws {
        let good = try Self.crl(signedBy: intermediate)
        let body = good.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        var der = [UInt8](try #require(Data(base64Encoded: body)))
        der[der.count - 3] ^= 0x01  // inside the signature
        let tampered = "-----BEGIN X509 CRL-----\n\(Data(der).base64EncodedString(options: .lineLength64Characters))\n-----END X509 CRL-----\n"
            + (try Self.crl(signedBy: root))
        let report = try await validate(crl: tampered)
        #expect(report.errors.contains { $0.contains("no CRL signed by \"O=Istio, CN=Intermediate CA, L=cluster1\"") },
                "\(report.errors)")
    }

    @Test func aCertificateInTheCRLFileIsNamed() async throws {
        let report = try await validate(crl: try PEMText.certificates([root.certificate]))
        #expect(report.errors.contains { $0.contains("ca-crl.pem: expected X509 CRL blocks, but block 1 is CERTIFICATE") },
                "\(report.errors)")
    }
}

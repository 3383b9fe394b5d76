import Foundation
import MeshPKI
import Testing
import X509

@Suite struct SigningCATests {
    let now = TestPKI.fixedNow.addingTimeInterval(60)

    @Test func aSelfSignedCAReadsBackFromItsPEM() throws {
        let root = TestPKI.shared.root
        let pem = try root.pem()
        let loaded = try SigningCA.selfSigned(
            certificate: PEMFile(name: "ca.crt", text: pem.certificate), key: PEMFile(name: "ca.key", text: pem.key), now: now)
        #expect(loaded.certificate == root.certificate)
        #expect(loaded.privateKey.publicKey == root.privateKey.publicKey)
        #expect(loaded.roots == [root.certificate])
        #expect(loaded.chain.isEmpty)
    }

    @Test func aKeyOfAnotherCAOrANonCAIsRefusedNamingTheFile() throws {
        let certificate = PEMFile(name: "ca.crt", text: try TestPKI.shared.root.pem().certificate)
        let otherKey = PEMFile(name: "ca.key", text: try TestPKI.shared.intermediate.pem().key)
        #expect { try SigningCA.selfSigned(certificate: certificate, key: otherKey, now: now) } throws: { error in
            (error as? PKIError)?.description.contains("ca.key") == true
        }
        let workload = try WorkloadIssuer(ca: TestPKI.shared.intermediate, sources: TestPKI.sources(now: now))
            .issue(for: SPIFFEID(parsing: "spiffe://cluster.local/ns/a/sa/b"))
        #expect { try SigningCA.selfSigned(
            certificate: PEMFile(name: "leaf.pem", text: try PEMText.certificates([workload.certificate])),
            key: PEMFile(name: "leaf.key", text: try PrivateKeyPEM.encode(workload.privateKey)), now: now)
        } throws: { error in
            (error as? PKIError)?.description.contains("is not a CA certificate") == true
        }
    }

    @Test func aBundleFromSecretDataIsValidatedUnderItsSourceName() async throws {
        var entries = try TestPKI.bundleFiles(TestPKI.shared.intermediate).mapValues { Data($0.utf8) }
        let bundle = try CABundle(source: "secret/istio-system/cacerts", entries: entries) { "secret/istio-system/cacerts:\($0)" }
        let ca = try await SigningCA.load(bundle, now: now)
        #expect(ca.certificate == TestPKI.shared.intermediate.certificate)
        #expect(ca.roots == [TestPKI.shared.root.certificate])

        entries["ca-key.pem"] = Data(try TestPKI.shared.root.pem().key.utf8)
        let broken = try CABundle(source: "secret/istio-system/cacerts", entries: entries) { "secret/istio-system/cacerts:\($0)" }
        await #expect { try await SigningCA.load(broken, now: now) } throws: { error in
            let text = (error as? PKIError)?.description ?? ""
            return text.contains("secret/istio-system/cacerts:ca-key.pem") && text.contains("wrong key type")
        }
    }
}

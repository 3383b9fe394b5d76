import Foundation
import MeshPKI
import Testing
import X509

@Suite struct ChainVerifierTests {
    let now = TestPKI.fixedNow.addingTimeInterval(3600)

    func workload(ca: SigningCA? = nil) throws -> IssuedWorkload {
        try WorkloadIssuer(ca: ca ?? TestPKI.shared.intermediate, sources: TestPKI.sources(now: now))
            .issue(for: SPIFFEID(parsing: "spiffe://cluster.local/ns/default/sa/web"))
    }

    @Test func aWorkloadVerifiesThroughItsChain() async throws {
        let issued = try workload()
        let result = await ChainVerifier(now: now).verify(
            leaf: issued.certificate, intermediates: Array(issued.chain.dropFirst()), roots: issued.roots)
        #expect(result.isValid)
        #expect(result.reasons == [])
        #expect(result.chain?.count == 3)
    }

    @Test func withoutTheIntermediateTheIssuerIsUnknown() async throws {
        let issued = try workload()
        let result = await ChainVerifier(now: now).verify(leaf: issued.certificate, intermediates: [], roots: issued.roots)
        #expect(!result.isValid)
        #expect(result.reasons == [
            "wrong issuer: \"SPIFFE:spiffe://cluster.local/ns/default/sa/web\" was issued by \"O=Istio, CN=Intermediate CA, L=cluster1\", which is neither a root nor in the chain"
        ])
    }

    @Test func anExpiredLeafIsNamed() async throws {
        let issued = try workload()
        let result = await ChainVerifier(now: now.addingTimeInterval(2 * 86_400)).verify(
            leaf: issued.certificate, intermediates: issued.chain, roots: issued.roots)
        #expect(!result.isValid)
        #expect(result.reasons.count == 1)
        #expect(result.reasons.first?.hasPrefix("\"SPIFFE:spiffe://cluster.local/ns/default/sa/web\" expired on ") == true)
    }

    @Test func aCertificateSignedByANonCAIsRejected() async throws {
        let leafCA = try workload()
        // Sign a certificate with the workload's key, as if the workload were a CA.
        let fake = SigningCA(certificate: leafCA.certificate, privateKey: leafCA.privateKey, chain: leafCA.chain, roots: leafCA.roots)
        let sources = PKISources(now: { self.now }, serial: { Certificate.SerialNumber(7) }, keys: .system)
        let forged = try CAGenerator(sources: sources).makeIntermediate(TestPKI.intermediateProfile(cluster: "x"), signedBy: fake)
        let result = await ChainVerifier(now: now).verify(
            leaf: forged.certificate, intermediates: leafCA.chain, roots: leafCA.roots)
        #expect(!result.isValid)
        #expect(result.reasons.contains { $0.hasPrefix("not a CA: \"SPIFFE:spiffe://cluster.local/ns/default/sa/web\" signed") })
    }

    @Test func pathLengthZeroForbidsASubCA() async throws {
        let ca = TestPKI.shared.intermediate
        let sub = try CAGenerator(sources: TestPKI.sources(now: now)).makeIntermediate(
            TestPKI.intermediateProfile(cluster: "sub"), signedBy: ca)
        let issued = try workload(ca: sub)
        let result = await ChainVerifier(now: now).verify(
            leaf: issued.certificate, intermediates: issued.chain, roots: issued.roots)
        #expect(!result.isValid)
        #expect(result.reasons.contains { $0.hasPrefix("path length: \"O=Istio, CN=Intermediate CA, L=cluster1\" allows 0") })
    }

    @Test func aRootVerifiesAsItself() async {
        let root = TestPKI.shared.root.certificate
        let result = await ChainVerifier(now: now).verify(leaf: root, intermediates: [], roots: [root])
        #expect(result.isValid)
    }
}

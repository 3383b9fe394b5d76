import Foundation
import MeshControlPlane
import MeshCore
import MeshKube
import MeshPKI
import MeshTestSupport
import Testing
import X509

/// The local mesh CA: a self-signed root on first start, replaced by a valid `cacerts` secret (either layout),
/// an invalid one ignored with the reason reported, the root republished as `istio-ca-root-cert` everywhere.
@Suite(.serialized) struct MeshCATests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster()
        client = try cluster.client()
    }

    /// A root and an intermediate (ECDSA, for speed) made by MeshPKI.
    static func bundle(cluster name: String = "cluster1") throws -> SigningCA {
        let generator = CAGenerator()
        let root = try generator.makeRoot(CAProfile(organization: "Istio", commonName: "Root CA", validityDays: 3650, key: .p256))
        var profile = CAProfile.istioIntermediate(cluster: name)
        profile = CAProfile(organization: profile.organization, commonName: profile.commonName, locality: profile.locality,
                            validityDays: profile.validityDays, key: .p256, dnsNames: profile.dnsNames)
        return try generator.makeIntermediate(profile, signedBy: root)
    }

    static func secret(_ files: [String: String]) -> Value {
        var data = Value.Object()
        for (key, text) in files { data[key] = .string(Data(text.utf8).base64EncodedString()) }
        return ["apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": ["name": "cacerts"], "data": .object(data)]
    }

    static func istioLayout(_ ca: SigningCA) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try MaterialFiles.intermediate(ca).entries.map { ($0.name, $0.text) })
    }

    /// Polls the control plane until `condition` holds for its mesh CA status (validation runs asynchronously).
    func waitForCA(_ condition: (MeshCAStatus) -> Bool) async throws -> MeshCAStatus {
        let deadline = Date().addingTimeInterval(60)  // generous: validation runs on the shared concurrency pool, busy in a full test run
        while Date() < deadline {
            if let status = cluster.plane.meshCAStatus, condition(status) { return status }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw TestTools.Failure(description: "the mesh CA did not reach the expected state; it is \(String(describing: cluster.plane.meshCAStatus))")
    }

    func publishedRoot(_ namespace: String) throws -> String {
        try client.get(.configMaps, name: "istio-ca-root-cert", namespace: namespace)["data"]?["root-cert.pem"]?.stringValue ?? ""
    }

    func recordedStatus() throws -> MeshCAStatus? {
        let data = try #require(FileManager.default.contents(atPath: DataDirectory(cluster.directory.path).meshCAFile))
        return MeshCAStatus(value: try JSON.parse(String(decoding: data, as: UTF8.self)))
    }

    /// Issues a workload certificate from the plane's CA and verifies it against `rootPEM` with its own chain.
    func workloadVerifies(against rootPEM: String) async throws -> IssuedWorkload {
        let identity = try SPIFFEID(parsing: "spiffe://cluster.local/ns/default/sa/web")
        let issued = try cluster.plane.issueWorkloadCertificate(for: identity, ttl: 3600)
        let roots = try PEMFile(name: "istio-ca-root-cert", text: rootPEM).certificates()
        let result = await ChainVerifier(now: Date()).verify(
            leaf: issued.certificate, intermediates: Array(issued.chain.dropFirst()), roots: roots)
        #expect(result.isValid, "\(result.reasons)")
        return issued
    }

    @Test func aFreshPlaneSignsWithItsSelfSignedRoot() async throws {
        let status = try await waitForCA { _ in true }
        #expect(status.source == .selfSigned)
        #expect(status.secret == "istio-ca-secret")
        let own = try client.get(.secrets, name: "istio-ca-secret", namespace: "istio-system")
        #expect(own["type"]?.stringValue == "istio.io/ca-root")
        let certificate = try #require(own["data"]?["ca-cert.pem"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        let root = String(decoding: certificate, as: UTF8.self)
        #expect(try publishedRoot("default") == root)
        #expect(try publishedRoot("istio-system") == root)
        let rootCertificate = try #require(try PEMFile(name: "root", text: root).certificates().first)
        #expect(status.rootFingerprint == CertificateSummary.sha256Fingerprint(of: rootCertificate))
        #expect(try recordedStatus() == status)
        _ = try await workloadVerifies(against: root)
    }

    @Test func aPluggedBundleReplacesTheRootEverywhere() async throws {
        let ca = try Self.bundle()
        let files = try Self.istioLayout(ca)
        _ = try client.create(.secrets, Self.secret(files), namespace: "istio-system")
        let status = try await waitForCA { $0.source == .plugged }
        #expect(status.secret == "cacerts")
        #expect(status.rejected == nil)
        #expect(status.rootFingerprint == CertificateSummary.sha256Fingerprint(of: ca.roots[0]))
        #expect(status.signingCertificate == "O=Istio, CN=Intermediate CA, L=cluster1")
        #expect(try recordedStatus() == status)
        let root = try #require(files["root-cert.pem"])
        #expect(try publishedRoot("default") == root)
        #expect(try publishedRoot("istio-system") == root)

        // Namespaces made later get the plugged root too.
        _ = try client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "later"]])
        #expect(try publishedRoot("later") == root)

        // Workload certificates are signed by the intermediate and chain to the plugged root.
        let issued = try await workloadVerifies(against: root)
        #expect(issued.certificate.issuer == ca.certificate.subject)
        #expect(issued.chain.count == 3)
    }

    @Test func theKubernetesTLSLayoutIsPickedUpFromCACrt() async throws {
        let ca = try Self.bundle()
        let tlsCrt = try PEMText.certificates([ca.certificate])
        let caCrt = try PEMText.certificates(ca.roots)
        _ = try client.create(.secrets, Self.secret([
            "tls.crt": tlsCrt, "tls.key": try PrivateKeyPEM.encode(ca.privateKey), "ca.crt": caCrt,
        ]), namespace: "istio-system")
        let status = try await waitForCA { $0.source == .plugged }
        #expect(status.rootFingerprint == CertificateSummary.sha256Fingerprint(of: ca.roots[0]))
        #expect(try publishedRoot("default") == caCrt)
        let issued = try await workloadVerifies(against: caCrt)
        #expect(issued.certificate.issuer == ca.certificate.subject)
    }

    @Test func anInvalidBundleIsIgnoredWithTheReasonAndTheCAStays() async throws {
        let before = try await waitForCA { _ in true }
        let rootBefore = try publishedRoot("default")
        var files = try Self.istioLayout(try Self.bundle())
        files["ca-key.pem"] = try PrivateKeyPEM.encode(try Self.bundle(cluster: "other").privateKey)
        _ = try client.create(.secrets, Self.secret(files), namespace: "istio-system")
        let status = try await waitForCA { $0.rejected != nil }
        #expect(status.source == .selfSigned)
        #expect(status.rootFingerprint == before.rootFingerprint)
        let reason = try #require(status.rejected)
        #expect(reason.contains("secret/istio-system/cacerts:ca-key.pem"), "\(reason)")
        #expect(reason.contains("does not match"), "\(reason)")
        #expect(try recordedStatus()?.rejected == reason)
        #expect(try publishedRoot("default") == rootBefore)
        _ = try await workloadVerifies(against: rootBefore)
    }

    @Test func aBadUpdateKeepsThePluggedCAAndDeletingItReturnsToTheOwnRoot() async throws {
        let selfSigned = try await waitForCA { _ in true }
        let ownRoot = try publishedRoot("default")
        let ca = try Self.bundle()
        let files = try Self.istioLayout(ca)
        let created = try client.create(.secrets, Self.secret(files), namespace: "istio-system")
        let plugged = try await waitForCA { $0.source == .plugged }

        // An update whose chain is not signed by the root is refused; the plugged CA keeps signing.
        var broken = files
        broken["root-cert.pem"] = try PEMText.certificates(try Self.bundle().roots)
        var update = Self.secret(broken)
        update["metadata"]?["resourceVersion"] = created["metadata"]?["resourceVersion"]
        _ = try client.replace(.secrets, update, namespace: "istio-system")
        let rejected = try await waitForCA { $0.rejected != nil }
        #expect(rejected.source == .plugged)
        #expect(rejected.rootFingerprint == plugged.rootFingerprint)
        #expect(try publishedRoot("default") == files["root-cert.pem"])

        try client.delete(.secrets, name: "cacerts", namespace: "istio-system")
        let back = try await waitForCA { $0.source == .selfSigned }
        #expect(back == selfSigned)
        #expect(try publishedRoot("default") == ownRoot)
    }

    @Test func aRestartKeepsThePluggedCAWithoutRepublishingTheOwnRoot() async throws {
        let files = try Self.istioLayout(try Self.bundle())
        _ = try client.create(.secrets, Self.secret(files), namespace: "istio-system")
        let plugged = try await waitForCA { $0.source == .plugged }
        let before = try client.get(.configMaps, name: "istio-ca-root-cert", namespace: "default")

        // A second control plane on the same data directory starts as a restarted one would (the first keeps
        // running: stopping a server twice, as the fixture's deinit would, does not return).
        let restarted = try ControlPlane(options: ControlPlaneOptions(dataDirectory: cluster.directory.path, port: 0, istioCRDFile: nil))
        defer { restarted.shutdown() }
        let deadline = Date().addingTimeInterval(60)  // generous: validation runs on the shared concurrency pool, busy in a full test run
        while restarted.meshCAStatus == nil, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(restarted.meshCAStatus == plugged)
        let after = restarted.store.get("/configmaps", namespace: "default", name: "istio-ca-root-cert")
        #expect(after?.value["metadata"]?["resourceVersion"] == before["metadata"]?["resourceVersion"],
                "the root ConfigMap was rewritten on restart")
        #expect(after?.value["data"]?["root-cert.pem"]?.stringValue == files["root-cert.pem"])
    }
}

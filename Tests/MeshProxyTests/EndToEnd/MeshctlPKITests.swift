import MeshTestSupport
import Testing

/// Two sidecars with the identities `meshctl pki` issues (root → intermediate → workload, SPIFFE URI SAN,
/// serverAuth + clientAuth): the chain verifies through the intermediate on both sides of the mTLS hop.
@Suite("Sidecars with meshctl pki certificates", .serialized)
struct MeshctlPKITests {
    @Test("STRICT with an issued chain: the allowed principal gets through, plain text is refused, another identity is denied")
    func strictWithIssuedChain() async throws {
        let pki = try MeshctlPKI.make(workloads: ["backend", "frontend", "intruder"])
        let upstreams = try await Upstreams.start(["backend"])
        let resources = PeerAuthenticationTests.peerAuthentication("STRICT") + "\n---\n" + PeerAuthenticationTests.frontendOnly
        let inbound = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.inboundYAML(pki, resources: resources), upstreams: upstreams.servers, shorthand: false)
        defer { Task { await inbound.stop(); await upstreams.stop() } }
        /// A GET through an outbound sidecar of `identity` (auto mTLS to the meshed backend).
        func viaSidecar(_ identity: String) async throws -> TestClient.Response {
            let sidecar = try await ProxyHarness.start(
                yaml: PeerAuthenticationTests.outboundYAML(
                    pki, identity: identity, workload: "{namespace: default, labels: {app: \(identity)}}", backendPort: inbound.port,
                    labels: "{security.istio.io/tlsMode: istio}", serviceAccount: "backend"),
                upstreams: upstreams.servers, shorthand: false, admin: false)
            defer { Task { await sidecar.stop() } }
            return try await sidecar.get("/echo")
        }

        let allowed = try await viaSidecar("frontend")
        #expect(allowed.status == 200, "\(allowed.body)")
        #expect(allowed.headers.first(name: "x-upstream-id") == "backend")
        let plain = try Subprocess.curl(["-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(inbound.port)/"])
        #expect(plain.standardOutput == "000", "STRICT must refuse plain text")
        let intruder = try await viaSidecar("intruder")
        #expect(intruder.status == 403)
        #expect(intruder.body == "RBAC: access denied")
        #expect(upstreams[0].requests == 1)
        let stats = try await inbound.admin("/stats").body
        #expect(stats.contains("http.meshctl.rbac.allowed: 1"), "\(stats)")
        #expect(stats.contains("http.meshctl.rbac.denied: 1"))
    }
}

import Foundation
import MeshProxy
import NIOHTTP1
import Testing

/// Istio's HTTP metadata exchange between two sidecars over auto mTLS: each side's Istio metrics name the
/// other's workload, and neither the application nor the client ever sees the exchange headers.
@Suite("Peer metadata exchange end to end", .serialized)
struct PeerMetadataExchangeTests {
    /// Runs `body` with the backend's sidecar (PERMISSIVE, so a plain client can also reach it) in front of a test
    /// upstream, and the frontend's, whose ServiceEntry endpoint is the backend sidecar, labelled meshed.
    static func withSidecars(_ body: (_ client: ProxyHarness, _ server: ProxyHarness, _ pki: SpiffePKI) async throws -> Void) async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let server = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.inboundYAML(
                pki, resources: PeerAuthenticationTests.peerAuthentication("PERMISSIVE"),
                workload: "{name: backend-v1, namespace: default, labels: {app: backend, version: v1}, serviceAccount: backend, cluster: east}"),
            upstreams: upstreams.servers, shorthand: false)
        let client = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.outboundYAML(
                pki, workload: "{name: frontend-v2, namespace: default, labels: {app: frontend, version: v2}, cluster: west}",
                backendPort: server.port, labels: "{security.istio.io/tlsMode: istio}", serviceAccount: "backend"),
            upstreams: upstreams.servers, shorthand: false)
        defer { Task { await client.stop(); await server.stop(); await upstreams.stop() } }
        try await body(client, server, pki)
    }

    static func requestSeries(_ proxy: ProxyHarness, reporter: String) async throws -> [String] {
        try await proxy.admin("/stats/prometheus").body.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("istio_requests_total{reporter=\"\(reporter)\"") }
    }

    @Test("both sidecars' metrics name the peer workload; the exchange headers reach neither the app nor the client")
    func exchange() async throws {
        try await Self.withSidecars { client, server, _ in
            // The application's own (forged) exchange headers are replaced by its sidecar's.
            let response = try await client.get(
                "/echo", headers: [("host", "backend"), ("x-envoy-peer-metadata", "Cg=="), ("x-envoy-peer-metadata-id", "forged")])
            #expect(response.status == 200)
            #expect(!response.body.contains("x-envoy-peer-metadata"), "the backend application saw exchange headers")
            #expect(!response.body.contains("forged"))
            #expect(!response.headers.contains(name: "x-envoy-peer-metadata"))
            #expect(!response.headers.contains(name: "x-envoy-peer-metadata-id"))

            let inbound = try await Self.requestSeries(server, reporter: "destination")
            #expect(inbound.count == 1)
            for label in [
                "source_workload=\"frontend-v2\"", "source_workload_namespace=\"default\"", "source_app=\"frontend\"",
                "source_version=\"v2\"", "source_canonical_service=\"frontend\"", "source_canonical_revision=\"v2\"",
                "source_cluster=\"west\"", "destination_workload=\"backend-v1\"", "destination_cluster=\"east\"",
                "source_principal=\"spiffe://cluster.local/ns/default/sa/frontend\"",
            ] {
                #expect(inbound.first?.contains(label) == true, "inbound series lacks \(label): \(inbound)")
            }
            let outbound = try await Self.requestSeries(client, reporter: "source")
            #expect(outbound.count == 1)
            for label in [
                "source_workload=\"frontend-v2\"", "destination_workload=\"backend-v1\"", "destination_workload_namespace=\"default\"",
                "destination_app=\"backend\"", "destination_version=\"v1\"", "destination_canonical_service=\"backend\"",
                "destination_canonical_revision=\"v1\"", "destination_cluster=\"east\"",
            ] {
                #expect(outbound.first?.contains(label) == true, "outbound series lacks \(label): \(outbound)")
            }
        }
    }

    @Test("a caller's malformed metadata is ignored: the request succeeds, its source stays unknown, the answer carries ours")
    func malformedPeerHeader() async throws {
        try await Self.withSidecars { _, server, _ in
            let response = try await server.get(
                "/echo", headers: [("x-envoy-peer-metadata", "%%% not base64"), ("x-envoy-peer-metadata-id", "sidecar~x")])
            #expect(response.status == 200)
            #expect(!response.body.contains("x-envoy-peer-metadata"), "the application saw exchange headers")
            #expect(response.headers.first(name: "x-envoy-peer-metadata-id")?.hasPrefix("sidecar~127.0.0.1~backend-v1.default~") == true)
            #expect(response.headers.contains(name: "x-envoy-peer-metadata"))
            let inbound = try await Self.requestSeries(server, reporter: "destination")
            #expect(inbound.first?.contains("source_workload=\"unknown\"") == true)
            // Without a caller's metadata nothing is added.
            let plain = try await server.get("/")
            #expect(!plain.headers.contains(name: "x-envoy-peer-metadata"))
            // Nor on the next request of the same connection, even a locally refused one.
            let connection = try KeepAliveConnection(port: server.port)
            let asked = try connection.exchange(Array("GET / HTTP/1.1\r\nHost: test\r\nx-envoy-peer-metadata: Cg==\r\n\r\n".utf8))
            #expect(asked.headers["x-envoy-peer-metadata"] != nil)
            let tooMany = (0..<150).map { "x-h\($0): v\r\n" }.joined()
            let refused = try connection.exchange(Array("GET / HTTP/1.1\r\nHost: test\r\n\(tooMany)\r\n".utf8))
            #expect(refused.status == 431)
            #expect(refused.headers["x-envoy-peer-metadata"] == nil, "a request without metadata got ours")
        }
    }
}

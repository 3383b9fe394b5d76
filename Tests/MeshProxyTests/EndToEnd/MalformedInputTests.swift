import MeshProxy
import NIOCore
import Testing

/// Bad HTTP from clients: 400 and the connection closed; nothing reaches the upstream.
@Suite("Malformed input", .serialized)
struct MalformedInputTests {
    @Test(
        "malformed requests get 400, are closed and are never forwarded",
        arguments: [
            "GARBAGE\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n",
        ])
    func rejected(_ request: String) async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let (text, closed) = try await TestClient.raw(port: proxy.port, request, group: proxy.clientGroup)
        #expect(text.hasPrefix("HTTP/1.1 400"), "got \(text.debugDescription)")
        #expect(closed)
        #expect(upstreams[0].requests == 0)
        // The proxy still serves well-formed requests afterwards.
        #expect(try await proxy.get("/").status == 200)
    }

    @Test("admin endpoints report readiness, stats in Envoy and Prometheus form, and the config")
    func admin() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        _ = try await proxy.get("/")
        #expect(try await proxy.admin("/ready").body == "LIVE\n")
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.downstream_rq_2xx: 1"))
        let prometheus = try await proxy.admin("/stats/prometheus").body
        #expect(prometheus.contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"upstream\"} 1"))
        #expect(prometheus.contains("# TYPE envoy_http_downstream_rq_time histogram"))
        let dump = try await proxy.admin("/config_dump").body
        #expect(dump.contains("\"listeners\""))
        #expect(try await proxy.admin("/nope").status == 404)
    }
}

@Suite("Upgrades")
struct UpgradeTests {
    @Test(
        "a websocket upgrade passes through: 101, then bytes both ways",
        .disabled("known gap: the 101 passes through, but bytes sent right behind the upgrade request are not yet forwarded"))
    func websocket() async throws {
        let upstreams = try await Upstreams.start(["unused"])
        let upgradeServer = try await UpgradeServer.start(group: upstreams.group, echoBytes: 4)
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.clusters["upstream"]!.endpoints = [EndpointConfig(address: HostPort(host: "127.0.0.1", port: upgradeServer.localAddress!.port!))]
        }
        defer { Task { await proxy.stop(); try? await upgradeServer.close().get(); await upstreams.stop() } }
        let request = "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nping"
        let (text, closed) = try await TestClient.raw(port: proxy.port, request, group: proxy.clientGroup)
        #expect(text.hasPrefix("HTTP/1.1 101"), "\(text.debugDescription)")
        #expect(text.lowercased().contains("upgrade: websocket"))
        #expect(text.hasSuffix("ping"))
        #expect(closed)
    }
}

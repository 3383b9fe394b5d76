import Testing

/// `/logging` on a running proxy's admin listener, over HTTP; the levels survive a config reload.
@Suite("Admin /logging end to end", .serialized)
struct AdminLoggingEndToEndTests {
    @Test("POST /logging?level=debug changes every level and a reload keeps it; GET with a query gets 405")
    func postAndGet() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let refused = try await TestClient.get(port: proxy.adminPort, "/logging?level=debug", group: proxy.clientGroup)
        #expect(refused.status == 405)
        let posted = try await TestClient.get(port: proxy.adminPort, "/logging?level=debug", method: .POST, group: proxy.clientGroup)
        #expect(posted.status == 200)
        #expect(posted.body.contains("  jwt: debug\n"))
        try await proxy.server.reload(proxy.server.config)
        let listed = try await proxy.admin("/logging")
        #expect(listed.status == 200)
        #expect(!listed.body.contains(": info"), "\(listed.body)")
        #expect(listed.body.contains("  rbac: debug\n"))
    }
}

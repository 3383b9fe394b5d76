import Foundation
import MeshProxy
import Testing

/// An upstream that fails after the connection was made: before the response head, in the middle of the body,
/// or with a reset. What the client sees, what retries do, and that nothing stays counted as active.
@Suite("Upstream failures after connect end to end", .serialized)
struct UpstreamFailureTests {
    static func start(retries: String) async throws -> (ProxyHarness, Upstreams) {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(
            yaml: ServiceYAML.service(endpoints: 1, routeFields: "retries: \(retries)"), upstreams: upstreams.servers)
        return (proxy, upstreams)
    }

    /// The Istio request metric lines of `/stats/prometheus`.
    static func requestMetrics(_ proxy: ProxyHarness) async throws -> [Substring] {
        try await proxy.admin("/stats/prometheus").body.split(separator: "\n").filter { $0.hasPrefix("istio_requests_total{") }
    }

    /// Waits until the proxy counts no active request or upstream connection, and returns whether it did.
    static func settled(_ proxy: ProxyHarness) async throws -> Bool {
        let gauges = ["cluster.svc.local.upstream_rq_active: 0", "cluster.svc.local.upstream_cx_active: 0", "http.meshctl.downstream_rq_active: 0"]
        return try await poll(timeout: .seconds(5)) {
            let stats = try await proxy.admin("/stats").body.split(separator: "\n")
            return gauges.allSatisfy { stats.contains($0[...]) } ? true : nil
        } ?? false
    }

    @Test("an upstream closing before the head gets 503 flagged UC, and the gauges return to 0")
    func closedBeforeHead() async throws {
        let (proxy, upstreams) = try await Self.start(retries: "{attempts: 0}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let response = try await proxy.get("/close")
        #expect(response.status == 503)
        #expect(response.body == "upstream connect error or disconnect/reset before headers. reset reason: connection termination")
        #expect(try await Self.requestMetrics(proxy).contains { $0.contains("response_code=\"503\"") && $0.contains("response_flags=\"UC\"") })
        #expect(try await Self.settled(proxy))
    }

    @Test("an upstream dying mid-body cuts the downstream connection after the head, and the gauges return to 0")
    func diedMidBody() async throws {
        let (proxy, upstreams) = try await Self.start(retries: "{attempts: 2, retryOn: reset}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        await #expect(throws: (any Error).self) { try await proxy.get("/die") }
        #expect(upstreams[0].requests == 1, "no retry once the head went downstream")
        #expect(try await Self.settled(proxy))
    }

    @Test("retryOn reset retries a reset before the head; the upstream counts every try")
    func resetIsRetried() async throws {
        let (proxy, upstreams) = try await Self.start(retries: "{attempts: 2, retryOn: reset}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let response = try await proxy.get("/reset")
        #expect(response.status == 503)
        #expect(upstreams[0].requests == 3)
        #expect(try await proxy.admin("/stats").body.contains("cluster.svc.local.upstream_rq_retry: 2\n"))
        #expect(try await Self.settled(proxy))
    }
}

import Foundation
import MeshProxy
import Testing

/// Outlier detection seen from outside the proxy: which endpoints get traffic, `/clusters` health flags and the
/// `outlier_detection.*` stats.
@Suite("Outlier detection end to end", .serialized)
struct OutlierDetectionTests {
    /// The service over `endpoints` upstreams with `outlier` as its `outlierDetection`, and no retries.
    static func yaml(endpoints: Int, outlier: String) -> String {
        ServiceYAML.service(endpoints: endpoints, trafficPolicy: "{outlierDetection: {\(outlier)}}", routeFields: "retries: {attempts: 0}")
    }

    static func stat(_ proxy: ProxyHarness, _ name: String) async throws -> Int? {
        let line = try await proxy.admin("/stats").body.split(separator: "\n").first { $0.hasPrefix("cluster.svc.local.\(name): ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test("a failing endpoint is ejected, counted in ejections_active, and returns once healthy after its ejection time")
    func ejectionAndRecovery() async throws {
        let upstreams = try await Upstreams.start(["good", "bad"])
        let (good, bad) = (upstreams[0], upstreams[1])
        bad.fail(with: 500)
        let proxy = try await ProxyHarness.start(
            yaml: Self.yaml(endpoints: 2, outlier: "consecutive5xxErrors: 2, interval: 0.1s, baseEjectionTime: 2s, maxEjectionPercent: 50"),
            upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await proxy.get("/").status) }
        #expect(statuses == [200, 500, 200, 500])
        let clusters = try await proxy.admin("/clusters").body
        #expect(clusters.contains("127.0.0.1:\(bad.port)::health_flags::/failed_outlier_check"))
        #expect(clusters.contains("127.0.0.1:\(good.port)::health_flags::healthy"))
        #expect(try await Self.stat(proxy, "outlier_detection.ejections_active") == 1)
        #expect(try await Self.stat(proxy, "outlier_detection.ejections_total") == 1)
        let dump = try await proxy.admin("/config_dump").body
        #expect(dump.contains("\"interval\": \"0.1 seconds\"") && dump.contains("\"maxEjectionTime\": \"300.0 seconds\""))
        for _ in 0..<6 { #expect(try await proxy.get("/").status == 200) }
        #expect(bad.requests == 2)

        bad.fail(with: nil)
        let back = try await poll(timeout: .seconds(5)) {
            try await proxy.admin("/clusters").body.contains("127.0.0.1:\(bad.port)::health_flags::healthy") ? true : nil
        }
        #expect(back == true)
        #expect(try await Self.stat(proxy, "outlier_detection.ejections_active") == 0)
        for _ in 0..<10 { #expect(try await proxy.get("/").status == 200) }
        #expect(bad.requests >= 6, "bad got \(bad.requests) after its return")
    }

    @Test("with 2 of 3 endpoints failing, maxEjectionPercent 30 lets only one be ejected")
    func maxEjectionPercentCaps() async throws {
        let upstreams = try await Upstreams.start(["good", "bad1", "bad2"])
        upstreams[1].fail(with: 500)
        upstreams[2].fail(with: 500)
        let proxy = try await ProxyHarness.start(
            yaml: Self.yaml(endpoints: 3, outlier: "consecutive5xxErrors: 1, baseEjectionTime: 30s, maxEjectionPercent: 30"),
            upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        for _ in 0..<30 { _ = try await proxy.get("/") }
        let clusters = try await proxy.admin("/clusters").body
        #expect(clusters.components(separatedBy: "::health_flags::/failed_outlier_check").count - 1 == 1, "\(clusters)")
        #expect(try await Self.stat(proxy, "outlier_detection.ejections_active") == 1)
        #expect(try await Self.stat(proxy, "membership_healthy") == 2)
        #expect(upstreams[1].requests + upstreams[2].requests > 10, "the failing endpoint left in service keeps its share")
    }

    @Test(
        "gateway-error detection ejects on 503 but not on 500; Istio's deprecated consecutiveErrors means the same",
        arguments: ["consecutiveGatewayErrors: 2, consecutive5xxErrors: 0", "consecutiveErrors: 2"])
    func gatewayErrors(outlier: String) async throws {
        let upstreams = try await Upstreams.start(["good", "bad"])
        let bad = upstreams[1]
        bad.fail(with: 500)
        let proxy = try await ProxyHarness.start(
            yaml: Self.yaml(endpoints: 2, outlier: outlier + ", baseEjectionTime: 30s, maxEjectionPercent: 50"),
            upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        for _ in 0..<10 { _ = try await proxy.get("/") }
        #expect(bad.requests == 5, "500s are not gateway errors")
        #expect(try await Self.stat(proxy, "outlier_detection.ejections_active") == 0)
        bad.fail(with: 503)
        for _ in 0..<10 { _ = try await proxy.get("/") }
        #expect(bad.requests == 7, "two 503s in a row eject it")
        #expect(try await Self.stat(proxy, "outlier_detection.ejections_active") == 1)
    }
}

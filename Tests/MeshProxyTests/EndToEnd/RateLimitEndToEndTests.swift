import Foundation
import MeshCore
import MeshProxy
import Testing

/// Local rate limits through the proxy: a bounded burst gets exactly the bucket's worth of 200s, then 429s
/// with Envoy's headers; per-client buckets; a limit on one route only; the EnvoyFilter form.
@Suite("Local rate limits end to end", .serialized)
struct RateLimitEndToEndTests {
    /// A bootstrap whose one listener forwards to the first upstream, with `rateLimits` entries if any.
    static func bootstrap(_ rateLimits: String? = nil) -> String {
        """
        apiVersion: meshctl.dev/v1alpha1
        kind: ProxyBootstrap
        metadata: {name: limited}
        spec:
          workload: {namespace: default, labels: {app: asset-api}}
          listeners:
          - {name: main, address: "127.0.0.1:0", protocol: http, cluster: api}
          clusters:
          - {name: api, endpoints: [{address: "127.0.0.1:UPSTREAM_0"}]}
        \(rateLimits.map { "  rateLimits:\n" + $0 } ?? "")
        """
    }

    @Test("a burst of 8 against a bucket of 5 (no refill within the test): 5 pass with x-ratelimit-*, 3 get 429")
    func burst() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(
            yaml: Self.bootstrap("  - {name: api_limit, tokenBucket: {maxTokens: 5, tokensPerFill: 5, fillInterval: 1h}}"),
            upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var statuses: [Int] = []
        var remaining: [String] = []
        for _ in 0..<8 {
            let response = try await proxy.get("/assets")
            statuses.append(response.status)
            remaining.append(response.headers.first(name: "x-ratelimit-remaining") ?? "-")
            if response.status == 429 {
                #expect(response.body == "local_rate_limited")
                #expect(response.headers.first(name: "x-envoy-ratelimited") == "true")
                #expect(response.headers.first(name: "x-ratelimit-limit") == "5")
                #expect(Int(response.headers.first(name: "x-ratelimit-reset") ?? "") ?? 0 > 3500)
            }
        }
        #expect(statuses == [200, 200, 200, 200, 200, 429, 429, 429])
        #expect(remaining == ["4", "3", "2", "1", "0", "0", "0", "0"])
        #expect(upstreams[0].requests == 5)
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("api_limit.http_local_rate_limit.rate_limited: 3"), "\(stats)")
        #expect(stats.contains("api_limit.http_local_rate_limit.ok: 5"))
        // Istio's metrics see the same traffic: 5 answered by the upstream, 3 rate limited (flag RL).
        let prometheus = try await proxy.admin("/stats/prometheus").body.split(separator: "\n")
        let requests = prometheus.filter { $0.hasPrefix("istio_requests_total{reporter=\"destination\"") && $0.contains("destination_workload=\"asset-api\"") }
        #expect(requests.contains { $0.contains("response_code=\"200\"") && $0.contains("response_flags=\"-\"") && $0.hasSuffix("} 5") }, "\(requests)")
        #expect(requests.contains { $0.contains("response_code=\"429\"") && $0.contains("response_flags=\"RL\"") && $0.hasSuffix("} 3") })
        #expect(prometheus.contains { $0.hasPrefix("istio_request_duration_milliseconds_count{") && $0.contains("response_code=\"200\"") && $0.hasSuffix("} 5") })
    }

    @Test("perHeader gives each client its own bucket; route limits only the VirtualService route they name")
    func perClientAndRoute() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let yaml = Self.bootstrap("""
              - {name: per_client, perHeader: x-client-id, route: reports, tokenBucket: {maxTokens: 2, tokensPerFill: 2, fillInterval: 1h}}
            """) + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: api, namespace: default}
            spec:
              hosts: ["*"]
              http:
              - name: reports
                match: [{uri: {prefix: /reports}}]
                route: [{destination: {host: api}}]
              - route: [{destination: {host: api}}]
            """
        let proxy = try await ProxyHarness.start(yaml: yaml, upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        func status(_ path: String, client: String) async throws -> Int {
            try await proxy.get(path, headers: [("x-client-id", client)]).status
        }
        var pump = [Int]()
        for _ in 0..<3 { pump.append(try await status("/reports/daily", client: "pump-1")) }
        #expect(pump == [200, 200, 429])
        #expect(try await status("/reports/daily", client: "pump-2") == 200, "another client has its own bucket")
        for _ in 0..<5 { #expect(try await status("/assets", client: "pump-1") == 200, "other routes are not limited") }
    }

    @Test("an EnvoyFilter selecting the workload limits its inbound listener, adding the configured header")
    func envoyFilterForm() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let filter = RateLimitTests.envoyFilter
            .replacingOccurrences(of: "app: productpage", with: "app: asset-api")
            .replacingOccurrences(of: "numerator: 5000, denominator: TEN_THOUSAND", with: "numerator: 100, denominator: HUNDRED")
        let proxy = try await ProxyHarness.start(
            yaml: Self.bootstrap() + "\n---\n" + filter,
            upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var statuses: [Int] = []
        for _ in 0..<6 {
            let response = try await proxy.get("/")
            statuses.append(response.status)
            if response.status == 429 { #expect(response.headers.first(name: "x-local-rate-limit") == "true") }
        }
        #expect(statuses == [200, 200, 200, 200, 429, 429])
    }

    @Test("Istio's local rate limit on a route: the path descriptor's bucket of 2, the route's default bucket of 4")
    func routeDescriptors() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let bootstrap = Self.bootstrap().replacingOccurrences(of: "cluster: api}", with: "cluster: api, targetPort: 9080}")
        let filter = RateLimitRouteTests.envoyFilter.replacingOccurrences(of: "app: productpage", with: "app: asset-api")
        let proxy = try await ProxyHarness.start(yaml: bootstrap + "\n---\n" + filter, upstreams: upstreams.servers, shorthand: false)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var product: [Int] = []
        for _ in 0..<3 { product.append(try await proxy.get("/api/v1/products/1").status) }
        #expect(product == [200, 200, 429])
        var others: [Int] = []
        for _ in 0..<5 { others.append(try await proxy.get("/api/v1/products/2").status) }
        #expect(others == [200, 200, 200, 200, 429])
    }
}

import Foundation
import MeshProxy
import NIOCore
import NIOPosix
import Testing

/// Istio traffic management through the proxy: subsets and weights, retries, timeouts, faults, rewrites,
/// redirects, direct responses and circuit breaking.
@Suite("Traffic management end to end", .serialized)
struct TrafficManagementTests {
    static let reviews = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          ports: [{number: 9080, name: http, protocol: HTTP}]
          resolution: STATIC
          endpoints:
          - {address: 127.0.0.1, ports: {http: UPSTREAM_0}, labels: {version: v1}}
          - {address: 127.0.0.1, ports: {http: UPSTREAM_1}, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """

    @Test("a 90/10 split sends about a tenth of requests to v2")
    func weightedSplit() async throws {
        let upstreams = try await Upstreams.start(["v1", "v2"])
        let proxy = try await ProxyHarness.start(yaml: Self.reviews + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: ["*"]
              http:
              - route:
                - {destination: {host: reviews, subset: v1}, weight: 90}
                - {destination: {host: reviews, subset: v2}, weight: 10}
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var v2 = 0
        for _ in 0..<300 {
            let response = try await proxy.get("/")
            if response.headers.first(name: "x-upstream-id") == "v2" { v2 += 1 }
        }
        #expect((10...60).contains(v2), "v2 got \(v2) of 300")
        #expect(upstreams[0].requests + upstreams[1].requests == 300)
    }

    @Test("header and uri matches pick routes; rewrite, redirect and direct response apply")
    func matchingAndLocalAnswers() async throws {
        let upstreams = try await Upstreams.start(["v1", "v2"])
        let proxy = try await ProxyHarness.start(yaml: Self.reviews + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: ["*"]
              http:
              - match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: reviews, subset: v2}}]
              - match: [{uri: {prefix: /api/}}]
                rewrite: {uri: /echo/}
                route: [{destination: {host: reviews, subset: v1}}]
              - match: [{uri: {exact: /old}}]
                redirect: {uri: /new, redirectCode: 308}
              - match: [{uri: {regex: "/health[0-9]+"}, method: {exact: GET}}]
                directResponse: {status: 204}
              - route: [{destination: {host: reviews, subset: v1}}]
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try await proxy.get("/", headers: [("end-user", "jason")]).headers.first(name: "x-upstream-id") == "v2")
        #expect(try await proxy.get("/").headers.first(name: "x-upstream-id") == "v1")
        let rewritten = try await proxy.get("/api/items?x=1")
        #expect(rewritten.body.hasPrefix("GET /echo/items?x=1"))
        let redirect = try await proxy.get("/old")
        #expect(redirect.status == 308)
        #expect(redirect.headers.first(name: "location") == "http://127.0.0.1:\(proxy.port)/new")
        #expect(try await proxy.get("/health42").status == 204)
        #expect(upstreams[0].requests + upstreams[1].requests == 3)
    }

    @Test("retries on 5xx are counted at the upstream; timeouts answer 504")
    func retriesAndTimeouts() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(yaml: """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: retry}
            spec:
              hosts: ["*"]
              http:
              - match: [{uri: {prefix: /slow}}]
                timeout: 0.2s
                route: [{destination: {host: upstream}}]
              - retries: {attempts: 3, retryOn: 5xx}
                route: [{destination: {host: upstream}}]
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let retried = try await proxy.get("/fail-then-ok/2")
        #expect(retried.status == 200)
        #expect(upstreams[0].requests == 3)
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("cluster.upstream.upstream_rq_retry: 2"))
        let started = Date()
        let slow = try await proxy.get("/slow/3000")
        #expect(slow.status == 504)
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test("fault injection aborts with the configured status and delays requests")
    func faults() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(yaml: """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: faults}
            spec:
              hosts: ["*"]
              http:
              - match: [{uri: {prefix: /abort}}]
                fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
                route: [{destination: {host: upstream}}]
              - fault: {delay: {fixedDelay: 0.3s, percentage: {value: 100}}}
                route: [{destination: {host: upstream}}]
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try await proxy.get("/abort").status == 418)
        #expect(upstreams[0].requests == 0)
        let started = Date()
        #expect(try await proxy.get("/delayed").status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.28)
    }

    @Test("over the connection pool limits the proxy answers 503 with x-envoy-overloaded")
    func circuitBreaker() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(yaml: """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: cb}
            spec:
              host: upstream
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1}
                  http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let responses = try await proxy.getConcurrently("/slow/300", count: 8)
        let overloaded = responses.filter { $0.status == 503 && $0.headers.first(name: "x-envoy-overloaded") == "true" }
        #expect(overloaded.count >= 4, "\(responses.map(\.status))")
        #expect(responses.contains { $0.status == 200 })
        #expect(try await proxy.admin("/stats").body.contains("upstream_rq_pending_overflow: \(overloaded.count)"))
    }

    @Test("over the DestinationRule's maxRetries a retriable response is passed on, not answered locally")
    func retryBudgetOverflow() async throws {
        let upstreams = try await Upstreams.start(["a"])
        upstreams[0].fail(with: 503)
        let proxy = try await ProxyHarness.start(yaml: """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: budget}
            spec:
              host: upstream
              trafficPolicy: {connectionPool: {http: {maxRetries: 1}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: budget}
            spec:
              hosts: ["*"]
              http: [{retries: {attempts: 1, retryOn: 5xx}, route: [{destination: {host: upstream}}]}]
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        // Four tries fail together after 500 ms; one retry fits the budget and holds it for another 500 ms.
        let responses = try await proxy.getConcurrently("/slow/500", count: 4)
        for response in responses {
            #expect(response.status == 503)
            #expect(response.body == "ok", "the upstream's own body")
            #expect(response.headers.first(name: "x-upstream-id") == "a")
        }
        #expect(upstreams[0].requests == 5)
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("cluster.upstream.upstream_rq_retry: 1\n"))
        #expect(stats.contains("cluster.upstream.upstream_rq_retry_overflow: 3\n"))
    }

    @Test("maxRequestsPerConnection: the upstream sees a new connection after every N requests")
    func maxRequestsPerConnection() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(yaml: """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: per-connection}
            spec:
              host: upstream
              trafficPolicy: {connectionPool: {http: {maxRequestsPerConnection: 2}}}
            """, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        for _ in 0..<6 { #expect(try await proxy.get("/").status == 200) }
        #expect(upstreams[0].requests == 6)
        #expect(upstreams[0].connections == 3)
    }

    /// `reviews` with a VirtualService routing requests on port `v2On` to v2, those on `v1On` and the rest to v1.
    static func portRoutes(v2On port: Int, v1On other: Int? = nil) -> String {
        let v1Match = other.map { "\n  - match: [{port: \($0)}]\n    route: [{destination: {host: reviews, subset: v1}}]" } ?? ""
        return reviews + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: ["*"]
              http:\(v1Match)
              - match: [{port: \(port)}]
                route: [{destination: {host: reviews, subset: v2}}]
              - route: [{destination: {host: reviews, subset: v1}}]
            """
    }

    @Test("a port match selects the route only on the listener port it names")
    func portMatch() async throws {
        let upstreams = try await Upstreams.start(["v1", "v2"])
        let port = try await Self.freePort(group: upstreams.group)
        let proxy = try await ProxyHarness.start(yaml: Self.portRoutes(v2On: port, v1On: port + 1), upstreams: upstreams.servers) {
            $0.listeners[0].address.port = port
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(proxy.port == port)
        for _ in 0..<3 { #expect(try await proxy.get("/").headers.first(name: "x-upstream-id") == "v2") }
    }

    @Test("on a listener bound to :0 a port match sees the port bound, or the listener's targetPort")
    func portMatchOnEphemeralListener() async throws {
        let upstreams = try await Upstreams.start(["v1", "v2"])
        let proxy = try await ProxyHarness.start(yaml: Self.portRoutes(v2On: 9080), upstreams: upstreams.servers) {
            $0.listeners[0].targetPort = 9080
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        #expect(try await proxy.get("/").headers.first(name: "x-upstream-id") == "v2")
        // The port is known once bound; the reload keeps the socket (its address, :0, is unchanged).
        let port = proxy.port
        try await proxy.server.reload(ProxyHarness.config(yaml: Self.portRoutes(v2On: port), upstreams: upstreams.servers))
        #expect(proxy.port == port)
        #expect(try await proxy.get("/").headers.first(name: "x-upstream-id") == "v2")
    }

    /// A port free on 127.0.0.1 right now (bound, then released).
    static func freePort(group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close().get()
        return port
    }
}

import Foundation
import MeshProxy
import NIOCore
import NIOPosix
import Testing

/// CUSTOM AuthorizationPolicies with a MeshConfig ext-authz provider, end to end over 127.0.0.1: the proxy's
/// inbound listener, a test upstream, and a test ext-authz server the provider points at.
@Suite("Ext-authz provider for CUSTOM policies end to end", .serialized)
struct ExtAuthzTests {
    /// An inbound sidecar whose CUSTOM policy sends `/echo*` and `/status/*` to provider `ext-authz-http`
    /// (`provider` is its envoyExtAuthzHttp body, on port AUTHZ), plus a DENY policy on `/echo/blocked`.
    static func yaml(
        provider: String, authzPort: Int, policyProvider: String = "ext-authz-http", api: String = "envoyExtAuthzHttp"
    ) -> String {
        """
        kind: ProxyBootstrap
        metadata: {name: backend-sidecar}
        spec:
          workload: {namespace: default, labels: {app: backend}}
          meshConfig:
            extensionProviders:
            - name: ext-authz-http
              \(api): {service: ext-authz.default.svc.cluster.local, port: 8000, \(provider)}
          listeners:
          - {name: main, address: 127.0.0.1:0, protocol: http, upstream: 127.0.0.1:UPSTREAM_0}
        ---
        kind: ServiceEntry
        metadata: {name: ext-authz, namespace: default}
        spec:
          hosts: [ext-authz.default.svc.cluster.local]
          ports: [{number: 8000, name: http, protocol: HTTP}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {http: \(authzPort)}}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: ext-authz, namespace: default}
        spec:
          action: CUSTOM
          provider: {name: \(policyProvider)}
          rules: [{to: [{operation: {paths: ["/echo*", "/status/*"]}}]}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: blocked, namespace: default}
        spec:
          action: DENY
          rules: [{to: [{operation: {paths: [/echo/blocked]}}]}]
        """
    }

    static let fullProvider = """
        pathPrefix: /check, includeRequestHeadersInCheck: ["x-ext-authz*"], includeAdditionalHeadersInCheck: {x-added: fixed},
        headersToUpstreamOnAllow: [x-user, "*-check-result"], headersToDownstreamOnDeny: [x-ext-authz-check-result],
        headersToDownstreamOnAllow: [x-welcome]
        """

    /// Upstream `backend` and the HTTP test authorizer on one event loop group, stopped together.
    struct Fixture {
        let upstreams: Upstreams
        let authz: AuthzTestServer<ExtAuthzServer.Check>

        static func start() async throws -> Fixture {
            let upstreams = try await Upstreams.start(["backend"])
            return Fixture(upstreams: upstreams, authz: try await ExtAuthzServer.start(group: upstreams.group))
        }

        /// A proxy for `yaml(provider:…)` in front of the upstream, its provider pointing at `authzPort` (default:
        /// the HTTP authorizer).
        func proxy(
            _ provider: String, authzPort: Int? = nil, policyProvider: String = "ext-authz-http", api: String = "envoyExtAuthzHttp"
        ) async throws -> ProxyHarness {
            try await ProxyHarness.start(
                yaml: ExtAuthzTests.yaml(provider: provider, authzPort: authzPort ?? authz.port, policyProvider: policyProvider, api: api),
                upstreams: upstreams.servers, shorthand: false)
        }

        func stop() async {
            await authz.stop()
            await upstreams.stop()
        }
    }

    /// A port nothing listens on.
    static func closedPort(group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close().get()
        return port
    }

    @Test("an allowed check forwards the request with headersToUpstreamOnAllow and answers with headersToDownstreamOnAllow")
    func allow() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy(Self.fullProvider)
        defer { Task { await proxy.stop(); await fixture.stop() } }

        let response = try await proxy.get(
            "/echo?x=1", headers: [("x-ext-authz", "allow"), ("x-ext-authz-extra", "1"), ("x-unrelated", "no"), ("authorization", "Bearer t")])
        #expect(response.status == 200)
        #expect(response.body.contains("x-user: alice"))
        #expect(response.body.contains("x-ext-authz-check-result: allowed"))
        #expect(!response.body.contains("x-internal"), "only headersToUpstreamOnAllow reach the upstream")
        #expect(!response.body.contains("authorization:"), "the authorizer consumed the credentials (x-envoy-auth-headers-to-remove)")
        #expect(response.body.contains("host: "), "Host is never removed")
        #expect(response.headers.first(name: "x-welcome") == "hello")
        #expect(response.headers.first(name: "x-internal") == nil)
        #expect(fixture.upstreams[0].requests == 1)

        let check = try #require(fixture.authz.checks.first)
        #expect(check.method == "GET")
        #expect(check.uri == "/check/echo?x=1", "pathPrefix + the original path")
        #expect(check.header("host") != nil)
        #expect(check.header("x-ext-authz") == "allow")
        #expect(check.header("x-ext-authz-extra") == "1")
        #expect(check.header("authorization") == "Bearer t")
        #expect(check.header("x-unrelated") == nil, "only includeRequestHeadersInCheck headers go to the authorizer")
        #expect(check.header("x-added") == "fixed")
        #expect(check.header("content-length") == "0")
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.ext_authz.ok: 1"))
    }

    @Test("a denied check answers with the authorizer's status, body and headersToDownstreamOnDeny; the upstream sees nothing")
    func deny() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy(Self.fullProvider)
        defer { Task { await proxy.stop(); await fixture.stop() } }

        let refused = try await proxy.get("/status/200", headers: [("x-ext-authz", "deny"), ("x-ext-authz-status", "401")])
        #expect(refused.status == 401)
        #expect(refused.body == "denied by ext-authz for /check/status/200")
        #expect(refused.headers.first(name: "x-ext-authz-check-result") == "denied")
        #expect(refused.headers.first(name: "www-authenticate") == "Basic", "WWW-Authenticate always goes with a deny")
        #expect(refused.headers.first(name: "x-deny-detail") == nil)
        let forbidden = try await proxy.get("/echo")
        #expect(forbidden.status == 403)
        #expect(fixture.upstreams[0].requests == 0)
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.ext_authz.denied: 2"))
        let prometheus = try await proxy.admin("/stats/prometheus").body.split(separator: "\n")
        #expect(prometheus.contains { $0.hasPrefix("istio_requests_total{") && $0.contains("response_code=\"401\"") && $0.contains("response_flags=\"UAEX\"") })
    }

    @Test("only requests matching the CUSTOM rules reach the authorizer; an allow still meets the DENY policies")
    func scope() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy("includeRequestHeadersInCheck: [x-ext-authz]")
        defer { Task { await proxy.stop(); await fixture.stop() } }

        #expect(try await proxy.get("/ok").status == 200)
        #expect(try await proxy.get("/other/path", headers: [("x-ext-authz", "deny")]).status == 200)
        #expect(fixture.authz.checks.isEmpty, "requests outside the CUSTOM rules are never checked")
        let blocked = try await proxy.get("/echo/blocked", headers: [("x-ext-authz", "allow")])
        #expect(blocked.status == 403)
        #expect(blocked.body == "RBAC: access denied")
        #expect(fixture.authz.checks.count == 1, "CUSTOM is evaluated before DENY")
        #expect(fixture.authz.checks.first?.uri == "/echo/blocked", "no pathPrefix: the original path")
        #expect(fixture.upstreams[0].requests == 2)
    }

    @Test("HTTP/2: concurrent streams of one connection are held and checked each on its own")
    func http2() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy(Self.fullProvider + ", includeRequestBodyInCheck: {maxRequestBytes: 64}")
        defer { Task { await proxy.stop(); await fixture.stop() } }
        let allowed = try await HTTP2TestClient.send(
            port: proxy.port, path: "/echo", headers: [("x-ext-authz", "allow")], body: "hello", count: 3, group: proxy.clientGroup)
        #expect(allowed.map(\.status) == [200, 200, 200])
        #expect(allowed.allSatisfy { $0.body.contains("body=5") && $0.body.contains("x-user: alice") })
        let denied = try await HTTP2TestClient.send(
            port: proxy.port, path: "/echo", headers: [("x-ext-authz", "deny")], body: "hello", count: 2, group: proxy.clientGroup)
        #expect(denied.map(\.status) == [403, 403])
        #expect(denied.first?.body == "denied by ext-authz for /check/echo")
        #expect(fixture.authz.checks.count == 5)
        #expect(fixture.authz.checks.allSatisfy { $0.body == "hello" })
        #expect(fixture.upstreams[0].requests == 3)
    }

    @Test(
        "an unreachable authorizer or a 5xx answer: failOpen allows, else statusOnError (403 by default)",
        arguments: [("failOpen: true", 200), ("statusOnError: \"503\"", 503), ("timeout: 5s", 403)])
    func unreachable(_ provider: String, _ expected: Int) async throws {
        let fixture = try await Fixture.start()
        let down = try await Self.closedPort(group: fixture.upstreams.group)
        let proxy = try await fixture.proxy(provider, authzPort: down)
        defer { Task { await proxy.stop(); await fixture.stop() } }
        #expect(try await proxy.get("/echo").status == expected)

        let failing = try await fixture.proxy(provider + ", includeRequestHeadersInCheck: [x-ext-authz]")
        defer { Task { await failing.stop() } }
        #expect(try await failing.get("/echo", headers: [("x-ext-authz", "fail")]).status == expected)
        #expect(fixture.authz.checks.count == 1)
        let stats = try await failing.admin("/stats").body
        #expect(stats.contains("http.meshctl.ext_authz.error: 1"))
        #expect(stats.contains("http.meshctl.ext_authz.failure_mode_allowed: \(expected == 200 ? 1 : 0)"))
    }

    @Test("an authorizer slower than the provider's timeout is an error (statusOnError)")
    func timeout() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy("timeout: 300ms, statusOnError: \"504\", includeRequestHeadersInCheck: [x-ext-authz]")
        defer { Task { await proxy.stop(); await fixture.stop() } }
        let started = Date()
        #expect(try await proxy.get("/echo", headers: [("x-ext-authz", "slow")]).status == 504)
        #expect(Date().timeIntervalSince(started) < 1.8)
        #expect(fixture.upstreams[0].requests == 0)
    }

    @Test("a CUSTOM policy naming an unknown provider fails closed and says so")
    func unknownProvider() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy("timeout: 5s", policyProvider: "opa")
        defer { Task { await proxy.stop(); await fixture.stop() } }
        let refused = try await proxy.get("/echo", headers: [("x-ext-authz", "allow")])
        #expect(refused.status == 403)
        #expect(refused.body.contains("unknown ext-authz provider \"opa\" (configured: \"ext-authz-http\")"))
        #expect(try await proxy.get("/ok").status == 200)
        #expect(fixture.authz.checks.isEmpty)
        #expect(fixture.upstreams[0].requests == 1)
    }

    @Test("includeRequestBodyInCheck sends the body (cut with allowPartialMessage, else 413 past maxRequestBytes)")
    func body() async throws {
        let fixture = try await Fixture.start()
        let proxy = try await fixture.proxy(
            "includeRequestHeadersInCheck: [x-ext-authz], includeRequestBodyInCheck: {maxRequestBytes: 8, allowPartialMessage: true}")
        defer { Task { await proxy.stop(); await fixture.stop() } }
        let whole = try await proxy.get("/echo", headers: [("x-ext-authz", "allow")], method: .POST, body: "hello")
        #expect(whole.status == 200)
        #expect(whole.body.contains("body=5"), "the upstream still gets the body")
        #expect(fixture.authz.checks.last?.body == "hello")
        #expect(fixture.authz.checks.last?.header("x-envoy-auth-partial-body") == "false")
        let long = try await proxy.get("/echo", headers: [("x-ext-authz", "allow")], method: .POST, body: "0123456789abcdef")
        #expect(long.body.contains("body=16"))
        #expect(fixture.authz.checks.last?.body == "01234567")
        #expect(fixture.authz.checks.last?.header("x-envoy-auth-partial-body") == "true")
        #expect(fixture.authz.checks.last?.header("content-length") == "8")

        let strict = try await fixture.proxy("failOpen: true, includeRequestBodyInCheck: {maxRequestBytes: 8}")
        defer { Task { await strict.stop() } }
        #expect(try await strict.get("/echo", method: .POST, body: "0123456789abcdef").status == 413)
        #expect(fixture.authz.checks.count == 2)
    }
}

import MeshProxy
import NIOCore
import NIOPosix
import Testing

/// CUSTOM AuthorizationPolicies with an `envoyExtAuthzGrpc` provider end to end over 127.0.0.1: HTTP requests and
/// TCP connections checked by a test `envoy.service.auth.v3.Authorization` server over h2c.
@Suite("Ext-authz gRPC provider end to end", .serialized)
struct ExtAuthzGRPCTests {
    @Test("a gRPC provider gets a CheckRequest over h2c: OK forwards with ok_response headers, a denial answers with denied_response")
    func grpc() async throws {
        let fixture = try await ExtAuthzTests.Fixture.start()
        let authz = try await GRPCExtAuthzServer.start(group: fixture.upstreams.group)
        let proxy = try await fixture.proxy("timeout: 5s, includeRequestBodyInCheck: {maxRequestBytes: 64}", authzPort: authz.port, api: "envoyExtAuthzGrpc")
        defer { Task { await proxy.stop(); await authz.stop(); await fixture.stop() } }

        let allowed = try await proxy.get("/echo?x=1", headers: [("x-ext-authz", "allow")], method: .POST, body: "hello")
        #expect(allowed.status == 200)
        #expect(allowed.body.contains("x-user: alice"))
        #expect(allowed.body.contains("body=5"))
        #expect(!allowed.body.contains("x-ext-authz:"), "ok_response.headers_to_remove takes the header off")
        #expect(allowed.headers.first(name: "x-welcome") == "hello")
        let check = try #require(authz.checks.first)
        #expect(check.grpcPath == "/envoy.service.auth.v3.Authorization/Check")
        #expect(check.path == "/echo?x=1")
        #expect(check.body == "hello")
        #expect(check.headers[":method"] == "POST")
        #expect(check.headers["x-ext-authz"] == "allow", "the gRPC check carries every request header")
        // The request id exists before any filter runs (Envoy's connection manager makes it): the check and the
        // upstream see the same one.
        #expect(check.id.count == 36)
        #expect(check.headers["x-request-id"] == check.id)
        #expect(allowed.body.contains("x-request-id: \(check.id)\n"))

        let denied = try await proxy.get("/echo")
        #expect(denied.status == 401)
        #expect(denied.body == "denied by grpc ext-authz")
        #expect(denied.headers.first(name: "x-ext-authz-check-result") == "denied")
        #expect(try await proxy.get("/ok").status == 200)
        #expect(authz.checks.count == 2)
        #expect(fixture.upstreams[0].requests == 2)
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.ext_authz.ok: 1"))
        #expect(stats.contains("http.meshctl.ext_authz.denied: 1"))
    }

    @Test("a gRPC provider that is down: failOpen allows, else statusOnError", arguments: [("failOpen: true", 200), ("statusOnError: \"503\"", 503)])
    func grpcDown(_ provider: String, _ expected: Int) async throws {
        let fixture = try await ExtAuthzTests.Fixture.start()
        let down = try await ExtAuthzTests.closedPort(group: fixture.upstreams.group)
        let proxy = try await fixture.proxy(provider, authzPort: down, api: "envoyExtAuthzGrpc")
        defer { Task { await proxy.stop(); await fixture.stop() } }
        #expect(try await proxy.get("/echo").status == expected)
        #expect(try await proxy.admin("/stats").body.contains("http.meshctl.ext_authz.error: 1"))
    }

    @Test("TCP: a gRPC provider is asked about each connection (closed when it denies); an HTTP provider's CUSTOM policy is skipped")
    func tcp() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await EchoServer.start(group: group)
        func proxy(_ api: String, authzPort: Int) async throws -> ProxyHarness {
            try await ProxyHarness.start(yaml: """
                kind: ProxyBootstrap
                metadata: {name: db-sidecar}
                spec:
                  workload: {namespace: default, labels: {app: db}}
                  meshConfig: {extensionProviders: [{name: authz, \(api): {service: 127.0.0.1, port: \(authzPort)}}]}
                  listeners: [{name: main, address: 127.0.0.1:0, protocol: tcp, upstream: 127.0.0.1:\(echo.localAddress!.port!)}]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: custom, namespace: default}
                spec: {action: CUSTOM, provider: {name: authz}, rules: [{}]}
                """, upstreams: [], shorthand: false)
        }
        func exchange(_ port: Int) async -> String {
            (try? await EchoServer.halfCloseClient(port: port, send: "hello", group: group)) ?? ""
        }
        for allow in [true, false] {
            let authz = try await GRPCExtAuthzServer.start(group: group, allowConnections: allow)
            let sidecar = try await proxy("envoyExtAuthzGrpc", authzPort: authz.port)
            #expect(await exchange(sidecar.port) == (allow ? "hello|bye" : ""))
            #expect(authz.checks.count == 1)
            #expect(authz.checks.first?.path == "", "a connection has no HTTP request")
            await sidecar.stop()
            await authz.stop()
        }
        let httpAuthz = try await ExtAuthzServer.start(group: group)
        let skipped = try await proxy("envoyExtAuthzHttp", authzPort: httpAuthz.port)
        #expect(await exchange(skipped.port) == "hello|bye")
        #expect(httpAuthz.checks.isEmpty)
        await skipped.stop()
        await httpAuthz.stop()
        try? await echo.close().get()
        try? await group.shutdownGracefully()
    }
}

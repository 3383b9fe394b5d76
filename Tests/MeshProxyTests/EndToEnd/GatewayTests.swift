import Foundation
import MeshCore
import MeshProxy
import MeshTestSupport
import NIOCore
import NIOPosix
import Testing

/// The proxy as an ingress gateway: Istio Gateway servers become listeners, VirtualServices bound to the
/// Gateway route by host and path, HTTPS terminates with the server's certificate, plain HTTP can redirect to
/// HTTPS, and TCP servers splice to their route's destination.
@Suite("Ingress gateway end to end", .serialized)
struct GatewayTests {
    @Test("HTTP and HTTPS servers route bound VirtualServices by host and path; others get 404; httpsRedirect answers 301")
    func httpAndHTTPS() async throws {
        let pki = try TestPKI.shared.get()
        let upstreams = try await Upstreams.start(["api", "web", "mesh-only"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await EchoServer.start(group: group)
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: ingress}
            spec:
              role: gateway
              gateway:
                bind: 127.0.0.1
                ports: {"80": 0, "443": 0, "8000": 0, "9042": 0}
                credentials:
                - {name: api-cert, certificate: \(pki.namedServerCert.path), key: \(pki.namedServerKey.path)}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: backends, namespace: shop}
            spec:
              hosts: [api.shop.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1, ports: {http: \(upstreams[0].port)}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web, namespace: shop}
            spec:
              hosts: [web.shop.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1, ports: {http: \(upstreams[1].port)}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: cassandra, namespace: shop}
            spec:
              hosts: [cassandra.shop.svc.cluster.local]
              ports: [{number: 9042, name: cql, protocol: TCP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1, ports: {cql: \(echo.localAddress!.port!)}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: shop, namespace: shop}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - {port: {number: 80, name: http, protocol: HTTP}, hosts: [./api.mesh.test]}
              - {port: {number: 443, name: https, protocol: HTTPS}, hosts: [./api.mesh.test], tls: {mode: SIMPLE, credentialName: api-cert}}
              - {port: {number: 8000, name: http-redirect, protocol: HTTP}, hosts: [./api.mesh.test], tls: {httpsRedirect: true}}
              - {port: {number: 9042, name: tcp-cql, protocol: TCP}, hosts: ["*"]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: shop}
            spec:
              hosts: ["*"]
              gateways: [shop]
              http:
              - match: [{uri: {prefix: /api}}]
                route: [{destination: {host: api}}]
              - route: [{destination: {host: web}}]
              tcp:
              - match: [{port: 9042}]
                route: [{destination: {host: cassandra, port: {number: 9042}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: internal, namespace: shop}
            spec:
              hosts: [api.mesh.test]
              http: [{route: [{destination: {host: api}}]}]
            """
        let server = try ProxyServer(config: ConfigLoader.load(documents: YAML.parseDocuments(yaml)))
        try await server.start()
        defer {
            Task {
                await server.shutdown(drainTimeout: .milliseconds(100))
                await upstreams.stop()
                try? await echo.close().get()
                try? await group.shutdownGracefully()
            }
        }
        let http = try #require(server.ports["gateway-80"])
        func get(_ path: String, host: String, port: Int) async throws -> TestClient.Response {
            try await TestClient.get(port: port, path, headers: [("host", host)], group: upstreams.group)
        }
        #expect(try await get("/api/orders", host: "api.mesh.test", port: http).headers.first(name: "x-upstream-id") == "api")
        #expect(try await get("/", host: "api.mesh.test", port: http).headers.first(name: "x-upstream-id") == "web")
        #expect(try await get("/", host: "api.mesh.test:80", port: http).headers.first(name: "x-upstream-id") == "web")
        #expect(try await get("/api", host: "elsewhere.test", port: http).status == 404, "a host no server exposes must not route")
        // A gateway (use_remote_address: true) appends the client address to x-forwarded-for.
        let forwarded = try await TestClient.get(
            port: http, "/echo", headers: [("host", "api.mesh.test"), ("x-forwarded-for", "10.0.0.1")], group: upstreams.group)
        #expect(forwarded.body.contains("x-forwarded-for: 10.0.0.1, 127.0.0.1\n"), "\(forwarded.body)")

        let redirect = try await get("/api/orders?x=1", host: "api.mesh.test", port: try #require(server.ports["gateway-8000"]))
        #expect(redirect.status == 301)
        #expect(redirect.headers.first(name: "location") == "https://api.mesh.test/api/orders?x=1")

        let https = try #require(server.ports["gateway-443"])
        let curl = try Subprocess.curl([
            "-s", "--cacert", pki.caCert.path, "--resolve", "api.mesh.test:\(https):127.0.0.1",
            "-o", "/dev/null", "-w", "%{http_code} %{http_version}", "https://api.mesh.test:\(https)/api/x",
        ])
        #expect(curl.standardOutput == "200 2", "\(curl.standardOutput) \(curl.standardError)")
        #expect(upstreams[0].requests == 2)
        #expect(upstreams[2].requests == 0)

        let reply = try await EchoServer.halfCloseClient(port: try #require(server.ports["gateway-9042"]), send: "cql", group: group)
        #expect(reply == "cql|bye")
    }
}

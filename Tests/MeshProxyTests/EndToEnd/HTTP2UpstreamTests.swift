import Foundation
import MeshCore
import MeshProxy
import MeshTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import Testing

/// HTTP/2 toward upstreams: gRPC-style exchanges (trailers, `te: trailers`) over one shared connection, HTTP/1.1
/// clients upgraded by DestinationRule, h2 over TLS by ALPN, and failures that leak nothing.
@Suite("HTTP/2 upstreams", .serialized)
struct HTTP2UpstreamTests {
    static func proxy(upstream port: Int, extra: String = "", protocolName: String = "GRPC") async throws -> ProxyHarness {
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: h2}
            spec:
              admin: "127.0.0.1:0"
              listeners:
              - {name: main, address: "127.0.0.1:0", protocol: http, direction: outbound}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: telemetry, namespace: default}
            spec:
              hosts: [telemetry.default.svc.cluster.local]
              ports: [{number: 50051, name: grpc, protocol: \(protocolName)}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1, ports: {grpc: \(port)}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: telemetry, namespace: default}
            spec:
              hosts: ["*"]
              http: [{route: [{destination: {host: telemetry}}]}]
            \(extra)
            """
        let server = try ProxyServer(config: ConfigLoader.load(documents: YAML.parseDocuments(yaml)))
        try await server.start()
        return ProxyHarness(server: server, clientGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1))
    }

    @Test("a GRPC port: h2 to the upstream, trailers and te: trailers pass, concurrent requests share one connection")
    func grpcOverOneConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HTTP2Upstream.start(id: "grpc", group: group)
        let proxy = try await Self.proxy(upstream: upstream.port)
        defer { Task { await proxy.stop(); await upstream.stop(); try? await group.shutdownGracefully() } }

        let responses = try await HTTP2TestClient.send(
            port: proxy.port, path: "/telemetry.Ingest/Push", headers: [("te", "trailers"), ("content-type", "application/grpc")],
            body: String(repeating: "m", count: 300), count: 20, group: group)
        #expect(responses.count == 20)
        for response in responses {
            #expect(response.status == 200)
            #expect(response.body == "received 300 bytes over HTTP/2")
            #expect(response.headers.first(name: "x-seen-te") == "trailers")
            #expect(response.headers.first(name: "x-seen-path") == "/telemetry.Ingest/Push")
            #expect(response.trailers?.first(name: "grpc-status") == "0", "trailers: \(String(describing: response.trailers))")
        }
        #expect(upstream.connectionCount == 1, "every stream should share the proxy's one connection")
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("cluster.telemetry.default.svc.cluster.local.upstream_cx_total: 1"), "\(stats)")
        #expect(stats.contains("cluster.telemetry.default.svc.cluster.local.upstream_rq_active: 0"))
    }

    @Test("an HTTP/1.1 client reaches an h2-only upstream when the DestinationRule says UPGRADE")
    func upgradeFromHTTP1() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HTTP2Upstream.start(id: "h2", group: group)
        let proxy = try await Self.proxy(upstream: upstream.port, extra: """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: telemetry, namespace: default}
            spec:
              host: telemetry
              trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE}}}
            """, protocolName: "HTTP")
        defer { Task { await proxy.stop(); await upstream.stop(); try? await group.shutdownGracefully() } }
        for _ in 0..<3 {
            let response = try await proxy.get("/reports", method: .POST, body: "hello")
            #expect(response.status == 200)
            #expect(response.body == "received 5 bytes over HTTP/2")
        }
        #expect(upstream.connectionCount == 1)
    }

    @Test("h2 over TLS: ALPN h2 to the upstream, which is verified against the DestinationRule's CA")
    func http2OverTLS() async throws {
        let pki = try TestPKI.shared.get()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(pki.namedServerCert.path).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.namedServerKey.path, format: .pem)))
        tls.applicationProtocols = ["h2"]
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HTTP2Upstream.start(id: "tls", group: group, tls: try NIOSSLContext(configuration: tls))
        let proxy = try await Self.proxy(upstream: upstream.port, extra: """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: telemetry, namespace: default}
            spec:
              host: telemetry
              trafficPolicy: {tls: {mode: SIMPLE, caCertificates: \(pki.caCert.path), sni: api.mesh.test}}
            """)
        defer { Task { await proxy.stop(); await upstream.stop(); try? await group.shutdownGracefully() } }
        let responses = try await HTTP2TestClient.send(port: proxy.port, path: "/x", headers: [("te", "trailers")], count: 3, group: group)
        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses.allSatisfy { $0.trailers?.first(name: "grpc-status") == "0" })
    }

    @Test("an h2 upstream that is down: 503 with the connect failure counted, and no connection left counted")
    func upstreamDown() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let closed = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = closed.localAddress!.port!
        try await closed.close().get()
        let proxy = try await Self.proxy(upstream: port)
        defer { Task { await proxy.stop(); try? await group.shutdownGracefully() } }
        let response = try await proxy.get("/")
        #expect(response.status == 503)
        let stats = try await proxy.admin("/stats").body
        // Istio's default retry policy retries connect failures twice, each on a new connection.
        #expect(stats.contains("cluster.telemetry.default.svc.cluster.local.upstream_cx_connect_fail: 3"), "\(stats)")
        #expect(stats.contains("cluster.telemetry.default.svc.cluster.local.upstream_rq_retry: 2"))
        #expect(stats.contains("cluster.telemetry.default.svc.cluster.local.upstream_cx_active: 0"))
        // The next request tries again rather than reusing a dead connection.
        #expect(try await proxy.get("/").status == 503)
    }
}

import Foundation
import MeshCore
import MeshProxy
import MeshTestSupport
import NIOCore
import NIOPosix
import Testing

/// The gateway's TLS PASSTHROUGH servers: connections are routed by the SNI of their ClientHello to the
/// destinations of VirtualService `tls` routes, and TLS is left to the upstream (the client verifies the
/// upstream's own certificate; the gateway has none).
@Suite("Gateway TLS passthrough end to end", .serialized)
struct GatewayPassthroughTests {
    /// A ServiceEntry `NAME.shop.svc.cluster.local` whose one endpoint listens on 127.0.0.1:`port`.
    static func serviceEntry(_ name: String, port: Int) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: \(name), namespace: shop}
        spec:
          hosts: [\(name).shop.svc.cluster.local]
          ports: [{number: 443, name: tls, protocol: TLS}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1, ports: {tls: \(port)}}]
        """
    }

    static func yaml(api: Int, local: Int) -> String {
        """
        apiVersion: meshctl.dev/v1alpha1
        kind: ProxyBootstrap
        metadata: {name: ingress}
        spec:
          role: gateway
          admin: "127.0.0.1:0"
          limits: {headerTimeout: 300ms}
          gateway: {bind: 127.0.0.1, ports: {"443": 0}}
        ---
        \(serviceEntry("api", port: api))
        ---
        \(serviceEntry("local", port: local))
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: shop, namespace: shop}
        spec:
          servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: ["./*.mesh.test", ./localhost], tls: {mode: PASSTHROUGH}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop, namespace: shop}
        spec:
          hosts: ["*.mesh.test", localhost, outside.test]
          gateways: [shop]
          tls:
          - {match: [{port: 443, sniHosts: ["*.mesh.test"]}], route: [{destination: {host: api, port: {number: 443}}}]}
          - match: [{sniHosts: [localhost]}]
            route: [{destination: {host: local}, weight: 100}, {destination: {host: api}, weight: 0}]
          - {match: [{sniHosts: [outside.test]}], route: [{destination: {host: api}}]}
        """
    }

    @Test("SNI picks the upstream (exact and wildcard) and TLS reaches it unterminated; unserved, missing, broken or unfinished ClientHellos are closed and counted")
    func routesBySNI() async throws {
        let pki = try TestPKI.shared.get()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // api.mesh.test and localhost are the names in the two certificates, both issued by the test CA.
        let api = try await TestUpstream.start(id: "api", group: group, tls: (pki.namedServerCert.path, pki.namedServerKey.path))
        let local = try await TestUpstream.start(id: "local", group: group, tls: (pki.serverCert.path, pki.serverKey.path))
        let server = try ProxyServer(config: ConfigLoader.load(documents: YAML.parseDocuments(Self.yaml(api: api.port, local: local.port))))
        try await server.start()
        defer {
            Task {
                await server.shutdown(drainTimeout: .milliseconds(100))
                await api.stop()
                await local.stop()
                try? await group.shutdownGracefully()
            }
        }
        let port = try #require(server.ports["gateway-443"])
        func curl(_ host: String) throws -> String {
            try Subprocess.curl([
                "-s", "-m", "5", "--cacert", pki.caCert.path, "--resolve", "\(host):\(port):127.0.0.1", "-D", "-", "-o", "/dev/null",
                "https://\(host):\(port)/",
            ]).standardOutput.lowercased()
        }
        #expect(try curl("api.mesh.test").contains("x-upstream-id: api"), "*.mesh.test routes to api, which presents its own certificate")
        #expect(try curl("localhost").contains("x-upstream-id: local"))
        #expect(try curl("outside.test").isEmpty, "a route for a host no server exposes must not bind")
        #expect(try curl("127.0.0.1").isEmpty, "no SNI (curl sends none for an IP address)")
        let garbage = try await TestClient.raw(port: port, "GET / HTTP/1.1\r\nhost: api.mesh.test\r\n\r\n", group: group)
        #expect(garbage.closed && garbage.text.isEmpty)
        let silent = try await TestClient.raw(port: port, "\u{16}\u{03}\u{01}", group: group)
        #expect(silent.closed, "a ClientHello that never completes is closed after headerTimeout")
        #expect(api.requests == 1)
        #expect(local.requests == 1)

        let admin = try #require(server.ports["admin"])
        let dump = try await TestClient.get(port: admin, "/config_dump", group: group).body
        #expect(dump.contains("\"sniRoutes\""), "\(dump)")
        #expect(dump.contains("local.shop.svc.cluster.local (100)"))
        let stats = try await TestClient.get(port: admin, "/stats", group: group).body
        for line in [
            "tls_inspector.sni_found: 3", "tls_inspector.sni_not_found: 1", "tls_inspector.tls_not_found: 1",
            "no_filter_chain_match: 1",
        ] {
            #expect(stats.contains(line), "\(line) in \(stats)")
        }
    }
}

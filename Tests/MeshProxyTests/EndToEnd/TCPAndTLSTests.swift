import Foundation
import MeshCore
@testable import MeshProxy
import MeshTestSupport
import NIOCore
import NIOPosix
import Testing

/// TCP splicing with half-close, TLS termination (ALPN h2 and http/1.1), and mTLS origination with a SAN
/// check, through real sockets.
@Suite("TCP and TLS end to end", .serialized)
struct TCPAndTLSTests {
    @Test("a TCP listener passes bytes both ways and forwards a half-close")
    func tcpHalfClose() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await EchoServer.start(group: group)
        var config = ProxyConfig()
        config.clusters["echo"] = ClusterConfig(name: "echo", endpoints: [EndpointConfig(address: HostPort(host: "127.0.0.1", port: echo.localAddress!.port!))])
        config.listeners = [ListenerConfig(name: "tcp", address: HostPort(host: "127.0.0.1", port: 0), protocol: .tcp, defaultCluster: "echo")]
        let server = try ProxyServer(config: config)
        try await server.start()
        defer { Task { await server.shutdown(drainTimeout: .milliseconds(100)); try? await echo.close().get(); try? await group.shutdownGracefully() } }
        let reply = try await EchoServer.halfCloseClient(port: server.ports["tcp"]!, send: "hello", group: group)
        #expect(reply == "hello|bye")
        // Istio's TCP metrics: one connection opened and closed, 5 bytes in, 9 out (the echo and "|bye").
        let prometheus = try await poll(timeout: .seconds(10)) { () -> String? in
            let text = AdminPages.prometheus(server.runtime)
            let closed = text.split(separator: "\n").contains { $0.hasPrefix("istio_tcp_connections_closed_total{") && $0.hasSuffix("} 1") }
            return closed ? text : nil
        } ?? ""
        #expect(prometheus.contains("request_protocol=\"tcp\""))
        #expect(prometheus.split(separator: "\n").contains { $0.hasPrefix("istio_tcp_received_bytes_total{") && $0.hasSuffix("} 5") }, "\(prometheus)")
        #expect(prometheus.split(separator: "\n").contains { $0.hasPrefix("istio_tcp_sent_bytes_total{") && $0.hasSuffix("} 9") })
        #expect(prometheus.split(separator: "\n").contains { $0.hasPrefix("istio_tcp_connections_opened_total{") && $0.hasSuffix("} 1") })
    }

    @Test("TLS termination serves HTTP/1.1 and h2 by ALPN")
    func tlsTermination() async throws {
        let pki = try TestPKI.shared.get()
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.listeners[0].tls = ServerTLSConfig(certificateFile: pki.serverCert.path, keyFile: pki.serverKey.path)
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let url = "https://127.0.0.1:\(proxy.port)/echo"
        let h1 = try Subprocess.curl(["-s", "--http1.1", "--cacert", pki.caCert.path, url])
        #expect(h1.standardOutput.contains("x-forwarded-proto: https"))
        let h2 = try Subprocess.curl(["-s", "--http2", "--cacert", pki.caCert.path, "-o", "/dev/null", "-w", "%{http_version} %{http_code}", url])
        #expect(h2.standardOutput == "2 200")
    }

    @Test("mTLS origination presents the client certificate and checks the upstream's SPIFFE SAN")
    func mtlsOrigination() async throws {
        let pki = try SpiffePKI.make()
        let upstreams = try await Upstreams.start(["backend"])
        // The "server side" proxy: requires a client certificate from the CA, forwards to the upstream.
        let inbound = try await ProxyHarness.start(upstreams: upstreams.servers, admin: false) { config in
            config.listeners[0].tls = ServerTLSConfig(
                certificateFile: pki.file("backend.crt"), keyFile: pki.file("backend.key"), clientCAFile: pki.file("ca.crt"),
                allowedClientSANs: ["spiffe://cluster.local/ns/default/sa/frontend"])
        }
        defer { Task { await inbound.stop(); await upstreams.stop() } }
        func outbound(san: String) async throws -> ProxyHarness {
            try await ProxyHarness.start(upstreams: upstreams.servers, admin: false) { config in
                config.clusters["upstream"]!.endpoints = [EndpointConfig(address: HostPort(host: "127.0.0.1", port: inbound.port))]
                config.clusters["upstream"]!.tls = UpstreamTLSConfig(
                    caFile: pki.file("ca.crt"), certificateFile: pki.file("frontend.crt"), keyFile: pki.file("frontend.key"),
                    sni: "backend.local", subjectAltNames: [san])
            }
        }
        let good = try await outbound(san: "spiffe://cluster.local/ns/default/sa/backend")
        let response = try await good.get("/echo")
        await good.stop()
        #expect(response.status == 200)
        #expect(response.headers.first(name: "x-upstream-id") == "backend")
        let wrong = try await outbound(san: "spiffe://cluster.local/ns/default/sa/someone-else")
        let refused = try await wrong.get("/echo")
        await wrong.stop()
        #expect(refused.status == 503)
        #expect(upstreams[0].requests == 1)
        // A client without a certificate is refused by the inbound side.
        let plain = try Subprocess.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pki.file("ca.crt"),
                                         "--resolve", "backend.local:\(inbound.port):127.0.0.1", "https://backend.local:\(inbound.port)/"])
        #expect(plain.standardOutput == "000")
    }
}

/// Certificates with SPIFFE URI SANs, made with openssl.
struct SpiffePKI {
    let directory: URL
    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func make() throws -> SpiffePKI {
        try make(clients: ["frontend"])
    }

    /// A CA, a server certificate for `backend` and client certificates for `clients`; `intruder` gets an
    /// identity in namespace `other`, every other name one in `default`.
    static func make(clients: [String]) throws -> SpiffePKI {
        guard let openssl = TestTools.openssl else { throw TestTools.Failure(description: "openssl is missing") }
        let dir = try TestTools.temporaryDirectory()
        func ssl(_ args: [String]) throws { try TestTools.run(openssl, args, in: dir) }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try ssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-subj", "/O=cluster.local", "-days", "2"])
        for (name, usage) in [("backend", "serverAuth")] + clients.map({ ($0, "clientAuth") }) {
            let namespace = name == "intruder" ? "other" : "default"
            let ext = "subjectAltName=URI:spiffe://cluster.local/ns/\(namespace)/sa/\(name),DNS:\(name).local\nextendedKeyUsage=\(usage)\n"
            try Data(ext.utf8).write(to: dir.appendingPathComponent("\(name).ext"))
            try ssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/O=cluster.local"])
            try ssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
        return SpiffePKI(directory: dir)
    }
}

/// TCP bandwidth limits: a connection is throttled to its bytes per second without losing a byte.
@Suite("TCP bandwidth limits", .serialized)
struct BandwidthTests {
    @Test("200 KB each way through a 64 KiB/s per-connection limit takes at least 2 s (one second of burst), intact")
    func perConnection() async throws {
        let sidecar = try await EchoSidecar.start(listener: ", bandwidth: {perConnection: 64Ki, perListener: 10Mi}")
        defer { Task { await sidecar.stop() } }
        #expect(sidecar.proxy.server.config.listeners[0].bandwidth == BandwidthLimit(perConnection: 65536, perListener: 10 * 1_048_576))

        let payload = [UInt8]((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let connection = try KeepAliveConnection(port: sidecar.port)
        let started = ContinuousClock.now
        let reader = Task { connection.readAllBytes() }
        #expect(connection.send(payload))
        connection.finishSending()
        let echoed = await reader.value
        let elapsed = ContinuousClock.now - started
        let intact = echoed.count == payload.count + 4 && echoed.prefix(payload.count).elementsEqual(payload)
        #expect(intact, "\(echoed.count) bytes came back for \(payload.count) sent")
        #expect(String(decoding: echoed.suffix(4), as: UTF8.self) == "|bye")
        // (200,000 - 65,536 bytes of burst) / 65,536 bytes/s ≈ 2.05 s at least; only a lower bound is checked.
        #expect(elapsed >= .milliseconds(1900), "took \(elapsed): not throttled")
    }

    @Test("bandwidth needs a tcp listener and a positive rate")
    func invalid() throws {
        for (listener, expected) in [
            ("{name: web, address: \"127.0.0.1:0\", protocol: http, upstream: \"127.0.0.1:1\", bandwidth: {perConnection: 1Mi}}",
             "spec.listeners[0].bandwidth: bandwidth limits apply to tcp listeners"),
            ("{name: db, address: \"127.0.0.1:0\", protocol: tcp, upstream: \"127.0.0.1:1\", bandwidth: {perConnection: lots}}",
             "spec.listeners[0].bandwidth.perConnection: expected bytes per second"),
        ] {
            let yaml = "kind: ProxyBootstrap\nmetadata: {name: b}\nspec:\n  listeners:\n  - \(listener)"
            do {
                _ = try ConfigLoader.load(documents: YAML.parseDocuments(yaml))
                Issue.record("accepted \(listener)")
            } catch let error as ProxyError {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
    }
}

import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import MeshProxy

/// Istio's TCP metadata exchange between two sidecars over auto mTLS (ALPN `istio-peer-exchange`): each side's
/// `istio_tcp_*` series name the other's workload and the application bytes pass untouched; raw TLS clients
/// show the wire form, that plain TLS still works, and that a bad frame closes the connection.
@Suite("TCP peer metadata exchange end to end", .serialized)
struct TCPPeerExchangeTests {
    /// Runs `body` with a TCP echo behind the backend's sidecar (STRICT mTLS, a TCP listener), and the frontend's
    /// sidecar, whose outbound TCP listener splices to the backend sidecar as a meshed ServiceEntry endpoint.
    /// `serverLimits` are the backend sidecar's `limits`.
    static func withSidecars(
        serverLimits: String? = nil, _ body: (_ client: ProxyHarness, _ server: ProxyHarness, _ pki: SpiffePKI) async throws -> Void
    ) async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await EchoServer.start(group: group)
        let server = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.inboundYAML(
                pki, resources: PeerAuthenticationTests.peerAuthentication("STRICT"), tcpUpstream: echo.localAddress!.port!,
                workload: "{name: cassandra-v1, namespace: default, labels: {app: cassandra, version: v1}, cluster: east}",
                limits: serverLimits),
            upstreams: [], shorthand: false)
        let client = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.outboundYAML(
                pki, workload: "{name: frontend-v2, namespace: default, labels: {app: frontend, version: v2}, cluster: west}",
                backendPort: server.port, labels: "{security.istio.io/tlsMode: istio}", serviceAccount: "backend", tcp: true),
            upstreams: [], shorthand: false)
        defer {
            Task {
                await client.stop()
                await server.stop()
                try? await echo.close().get()
                try? await group.shutdownGracefully()
            }
        }
        try await body(client, server, pki)
    }

    /// The `istio_tcp_*` lines of `reporter` once its connection closed (bytes are counted at close).
    static func tcpSeries(_ proxy: ProxyHarness, reporter: String) async throws -> [String] {
        try await poll(timeout: .seconds(10)) { () -> [String]? in
            let lines = try await proxy.admin("/stats/prometheus").body.split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix("istio_tcp_") && $0.contains("{reporter=\"\(reporter)\"") }
            return lines.contains { $0.hasPrefix("istio_tcp_connections_closed_total{") } ? lines : nil
        } ?? []
    }

    /// What a TLS client with the frontend identity offering `alpn` reads from `port` after sending `send` at
    /// once (it leaves with the handshake's end) and half-closing (unless not `halfClose`): everything until the
    /// proxy closes, or the client gives up after 5 s.
    static func tlsClient(
        _ pki: SpiffePKI, port: Int, alpn: [String], send: [UInt8], halfClose: Bool = true, group: any EventLoopGroup
    ) async throws -> [UInt8] {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.file("ca.crt")))
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(pki.file("frontend.crt")).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki.file("frontend.key"), format: .pem))
        configuration.applicationProtocols = alpn
        let context = try NIOSSLContext(configuration: configuration)
        let promise = group.next().makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: "backend.local"))
                    try sync.addHandler(Collector(promise: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.write(ByteBuffer(bytes: send), promise: nil)
        channel.flush()
        if halfClose { channel.close(mode: .output, promise: nil) }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
        defer { timeout.cancel() }
        return try await promise.futureResult.get()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<[UInt8]>
        var bytes: [UInt8] = []
        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes += unwrapInboundIn(data).readableBytesView
        }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, case .inputClosed = event { context.close(promise: nil) }
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
        func channelInactive(context: ChannelHandlerContext) { promise.succeed(bytes) }
    }

    @Test("bytes echo across two sidecars, and both sides' istio_tcp series name the peer workload")
    func exchange() async throws {
        try await Self.withSidecars { client, server, _ in
            let reply = try await EchoServer.halfCloseClient(port: client.port, send: "hello", group: client.clientGroup)
            #expect(reply == "hello|bye")
            let inbound = try await Self.tcpSeries(server, reporter: "destination")
            #expect(!inbound.isEmpty)
            for line in inbound {
                for label in [
                    "source_workload=\"frontend-v2\"", "source_app=\"frontend\"", "source_version=\"v2\"", "source_cluster=\"west\"",
                    "source_canonical_service=\"frontend\"", "source_principal=\"spiffe://cluster.local/ns/default/sa/frontend\"",
                    "destination_workload=\"cassandra-v1\"", "connection_security_policy=\"mutual_tls\"",
                ] {
                    #expect(line.contains(label), "inbound series lacks \(label): \(line)")
                }
            }
            // The frames are not application bytes: the backend received "hello" and sent "hello|bye".
            #expect(inbound.contains { $0.hasPrefix("istio_tcp_received_bytes_total{") && $0.hasSuffix("} 5") }, "\(inbound)")
            #expect(inbound.contains { $0.hasPrefix("istio_tcp_sent_bytes_total{") && $0.hasSuffix("} 9") }, "\(inbound)")
            let outbound = try await Self.tcpSeries(client, reporter: "source")
            #expect(!outbound.isEmpty)
            for line in outbound {
                for label in [
                    "source_workload=\"frontend-v2\"", "destination_workload=\"cassandra-v1\"", "destination_workload_namespace=\"default\"",
                    "destination_app=\"cassandra\"", "destination_version=\"v1\"", "destination_canonical_revision=\"v1\"",
                    "destination_cluster=\"east\"",
                ] {
                    #expect(line.contains(label), "outbound series lacks \(label): \(line)")
                }
            }
            for proxy in [client, server] {
                #expect(try await proxy.admin("/stats").body.contains("metadata_exchange.alpn_protocol_found: 1"))
            }
        }
    }

    @Test("a client sending its frame and data with the handshake's end gets the server's frame, then the echo; a plain TLS client just the echo")
    func wireForm() async throws {
        try await Self.withSidecars { client, server, pki in
            let ownFrame = PeerExchangeFrame.encode(PeerMetadata(workloadName: "raw-client"), id: "sidecar~127.0.0.1~raw.default~default.svc.cluster.local")
            let reply = try await Self.tlsClient(
                pki, port: server.port, alpn: [PeerExchangeFrame.protocolName], send: ownFrame + Array("hello".utf8),
                group: client.clientGroup)
            guard case .frame(let peer, let length) = PeerExchangeFrame.parse(reply) else {
                Issue.record("no exchange frame first: \(reply)")
                return
            }
            #expect(peer?.workloadName == "cassandra-v1")
            #expect(peer?.labels["app"] == "cassandra")
            #expect(String(decoding: reply[length...], as: UTF8.self) == "hello|bye")
            let inbound = try await Self.tcpSeries(server, reporter: "destination")
            #expect(inbound.first?.contains("source_workload=\"raw-client\"") == true, "\(inbound)")

            let plain = try await Self.tlsClient(pki, port: server.port, alpn: [], send: Array("hello".utf8), group: client.clientGroup)
            #expect(String(decoding: plain, as: UTF8.self) == "hello|bye")
            let other = try await Self.tlsClient(pki, port: server.port, alpn: ["h2"], send: Array("hello".utf8), group: client.clientGroup)
            #expect(String(decoding: other, as: UTF8.self) == "hello|bye")
        }
    }

    @Test(
        "a bad frame after negotiating the exchange closes the connection before the upstream and is counted",
        arguments: [
            ("initial_header_not_found", Array("GET / HTTP/1.1\r\n\r\n".utf8)),
            ("header_too_large", [0x3D, 0x23, 0x04, 0x67, 0xFF, 0xFF, 0xFF, 0xFF]),
            ("header_not_found", [0x3D, 0x23, 0x04, 0x67, 0, 0, 0, 3, 0x0A, 0x7F, 0x01]),
        ])
    func badFrame(_ stat: String, _ bytes: [UInt8]) async throws {
        try await Self.withSidecars { client, server, pki in
            let reply = try await Self.tlsClient(
                pki, port: server.port, alpn: [PeerExchangeFrame.protocolName], send: bytes + Array("hello".utf8), group: client.clientGroup)
            try await Self.expectRefused(reply, by: server, counted: stat)
        }
    }

    /// Only the server's own frame came back (nothing reached the echo), and the refusal was counted as `stat`.
    static func expectRefused(_ reply: [UInt8], by server: ProxyHarness, counted stat: String) async throws {
        guard case .frame(_, let length) = PeerExchangeFrame.parse(reply) else {
            Issue.record("no exchange frame first: \(reply)")
            return
        }
        #expect(length == reply.count, "bytes after the server's frame: \(reply[length...])")
        #expect(try await server.admin("/stats").body.contains("metadata_exchange.\(stat): 1"))
        #expect(!(try await server.admin("/stats/prometheus").body.contains("istio_tcp_connections_opened_total")))
    }

    @Test("a client that negotiates the exchange but never sends its frame is closed at headerTimeout and counted")
    func silentPeer() async throws {
        try await Self.withSidecars(serverLimits: "{headerTimeout: 300ms}") { client, server, pki in
            let reply = try await Self.tlsClient(
                pki, port: server.port, alpn: [PeerExchangeFrame.protocolName], send: [], halfClose: false, group: client.clientGroup)
            // Counted: the proxy closed it, not the client giving up.
            try await Self.expectRefused(reply, by: server, counted: "initial_header_not_found")
        }
    }

    @Test("an upstream that negotiates the exchange but sends a bad frame: the client's connection is closed, the frame counted")
    func badUpstreamFrame() async throws {
        let pki = try SpiffePKI.make(clients: ["frontend"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(pki.file("backend.crt")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.file("backend.key"), format: .pem)))
        configuration.applicationProtocols = [PeerExchangeFrame.protocolName]
        let context = try NIOSSLContext(configuration: configuration)
        // A mesh peer gone wrong: it takes the exchange, then answers with anything but a frame.
        let upstream = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    channel.writeAndFlush(ByteBuffer(string: "SSH-2.0-OpenSSH_9.6\r\n"), promise: nil)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.outboundYAML(
                pki, workload: "{name: frontend-v2, namespace: default}", backendPort: upstream.localAddress!.port!,
                labels: "{security.istio.io/tlsMode: istio}", serviceAccount: "backend", tcp: true),
            upstreams: [], shorthand: false)
        defer {
            Task {
                await client.stop()
                try? await upstream.close().get()
                try? await group.shutdownGracefully()
            }
        }
        let reply = (try? await EchoServer.halfCloseClient(port: client.port, send: "hello", group: client.clientGroup)) ?? ""
        #expect(reply == "")
        #expect(try await client.admin("/stats").body.contains("metadata_exchange.initial_header_not_found: 1"))
        #expect(!(try await client.admin("/stats/prometheus").body.contains("istio_tcp_connections_opened_total")))
    }
}

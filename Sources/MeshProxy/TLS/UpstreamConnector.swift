import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// Opens upstream connections: TCP, optional TLS origination (SNI, chain check, SAN check), then either the
/// HTTP/1.1 client codec with an `UpstreamConnection` at the end, or an HTTP/2 connection whose streams become
/// `UpstreamConnection`s. A future completes only when the connection can be used — after the TLS handshake and
/// the SAN check — so no request byte reaches an unverified peer.
enum UpstreamConnector {
    /// An HTTP/1.1 connection, ready for one request at a time.
    static func connect(
        to endpoint: EndpointRuntime, cluster: ClusterRuntime, loop: LoopState, on eventLoop: any EventLoop,
        timeout: Duration
    ) -> EventLoopFuture<UpstreamConnection> {
        open(to: endpoint, cluster: cluster, on: eventLoop, timeout: timeout) { channel in
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(FlushCoalescer.above(sync))
            try sync.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes)
            try sync.addHandler(UpstreamConnection(endpoint: endpoint, cluster: cluster, loop: loop))
        }.flatMapThrowing { channel in
            try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
        }
    }

    /// An HTTP/2 connection (prior knowledge in plain text, ALPN `h2` under TLS); streams are opened on the
    /// returned multiplexer. Streams the server tries to open are refused.
    static func connectHTTP2(
        to endpoint: EndpointRuntime, cluster: ClusterRuntime, on eventLoop: any EventLoop, timeout: Duration
    ) -> EventLoopFuture<(any Channel, NIOHTTP2Handler.StreamMultiplexer)> {
        open(to: endpoint, cluster: cluster, on: eventLoop, timeout: timeout) { channel in
            var connection = NIOHTTP2Handler.ConnectionConfiguration()
            connection.initialSettings = [
                HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
                HTTP2Setting(parameter: .enablePush, value: 0),
            ]
            var streams = NIOHTTP2Handler.StreamConfiguration()
            streams.targetWindowSize = 1 << 20
            _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                mode: .client, connectionConfiguration: connection, streamConfiguration: streams
            ) { stream in stream.close() }
        }.flatMapThrowing { channel in
            (channel, try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer())
        }
    }

    /// Connects, adds TLS when the cluster originates it, lets `configure` add the protocol handlers, and
    /// succeeds once the peer is verified.
    private static func open(
        to endpoint: EndpointRuntime, cluster: ClusterRuntime, on eventLoop: any EventLoop, timeout: Duration,
        configure: @escaping @Sendable (any Channel) throws -> Void
    ) -> EventLoopFuture<any Channel> {
        let origination = cluster.origination(for: endpoint)
        let tls = origination?.context
        let tlsConfig = origination?.settings
        let serverName = tlsConfig?.sni ?? (Self.isIPAddress(endpoint.config.address.host) ? nil : endpoint.config.address.host)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(timeout.timeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                        try sync.addHandler(handler)
                        try sync.addHandler(TLSPeerVerifier(allowedSANs: tlsConfig?.subjectAltNames ?? []))
                    }
                    try configure(channel)
                }
            }
        let promise = eventLoop.makePromise(of: (any Channel).self)
        bootstrap.connect(to: endpoint.socketAddress).assumeIsolated().whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(error)
            case .success(let channel):
                guard tls != nil else {
                    promise.succeed(channel)
                    return
                }
                guard let verified = (try? channel.pipeline.syncOperations.handler(type: TLSPeerVerifier.self))?.verified else {
                    channel.close(promise: nil)
                    promise.fail(ChannelError.ioOnClosedChannel)
                    return
                }
                verified.assumeIsolated().whenComplete { outcome in
                    switch outcome {
                    case .success: promise.succeed(channel)
                    case .failure(let error):
                        channel.close(promise: nil)
                        promise.fail(error)
                    }
                }
            }
        }
        return promise.futureResult
    }

    /// Whether `host` is an IP literal (SNI must be a DNS name).
    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }
}

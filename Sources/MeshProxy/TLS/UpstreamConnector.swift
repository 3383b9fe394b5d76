import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Opens upstream HTTP/1.1 connections: TCP, optional TLS origination (SNI, chain check, SAN check), HTTP
/// client codec and an `UpstreamConnection` at the end. The future completes only when the connection can be
/// used — after the TLS handshake and the SAN check — so no request byte reaches an unverified peer.
enum UpstreamConnector {
    static func connect(
        to endpoint: EndpointRuntime, cluster: ClusterRuntime, loop: LoopState, on eventLoop: any EventLoop,
        timeout: Duration
    ) -> EventLoopFuture<UpstreamConnection> {
        let tls = cluster.tlsContext
        let tlsConfig = cluster.config.tls
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
                    try sync.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes)
                    try sync.addHandler(UpstreamConnection(endpoint: endpoint, cluster: cluster, loop: loop))
                }
            }
        let promise = eventLoop.makePromise(of: UpstreamConnection.self)
        bootstrap.connect(to: endpoint.socketAddress).assumeIsolated().whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(error)
            case .success(let channel):
                let sync = channel.pipeline.syncOperations
                guard let connection = try? sync.handler(type: UpstreamConnection.self) else {
                    channel.close(promise: nil)
                    promise.fail(ChannelError.ioOnClosedChannel)
                    return
                }
                guard tls != nil else {
                    promise.assumeIsolated().succeed(connection)
                    return
                }
                guard let verified = (try? sync.handler(type: TLSPeerVerifier.self))?.verified else {
                    channel.close(promise: nil)
                    promise.fail(ChannelError.ioOnClosedChannel)
                    return
                }
                verified.assumeIsolated().whenComplete { outcome in
                    switch outcome {
                    case .success: promise.assumeIsolated().succeed(connection)
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

import NIOCore
import NIOPosix
import NIOSSL

/// Sets up a TCP listener's child channel: a splice end that reads nothing until the upstream connection
/// (opened on the same event loop) is up, then bytes flow both ways with half-close.
enum TCPProxy {
    static func setUp(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime) throws {
        guard let cluster = listener.defaultCluster else { throw ProxyError(.startup, "tcp listener without cluster") }
        runtime.stats.tcpConnections.add(1, ordering: .relaxed)
        let sync = channel.pipeline.syncOperations
        if let tls = listener.tlsContext { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
        let downstream = SpliceHandler()
        try sync.addHandler(downstream)
        let loop = runtime.loopState(for: channel.eventLoop)
        guard let endpoint = cluster.pickEndpoint(hash: nil, random: loop.nextRandom()) else {
            channel.close(promise: nil)
            return
        }
        cluster.stats.upstreamCxActive.add(1, ordering: .relaxed)
        cluster.stats.upstreamCxTotal.add(1, ordering: .relaxed)
        let upstreamTLS = cluster.tlsContext
        let serverName = cluster.config.tls?.sni
        let allowedSANs = cluster.config.tls?.subjectAltNames ?? []
        ClientBootstrap(group: channel.eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout((cluster.limits.connectTimeout ?? runtime.config.limits.connectTimeout).timeAmount)
            .channelInitializer { upstream in
                upstream.eventLoop.makeCompletedFuture {
                    if let upstreamTLS {
                        try upstream.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: upstreamTLS, serverHostname: serverName))
                        try upstream.pipeline.syncOperations.addHandler(TLSPeerVerifier(allowedSANs: allowedSANs))
                    }
                }
            }
            .connect(to: endpoint.socketAddress)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let upstream):
                    upstream.closeFuture.whenComplete { _ in cluster.stats.upstreamCxActive.subtract(1, ordering: .relaxed) }
                    let upstreamEnd = SpliceHandler()
                    do {
                        try upstream.pipeline.syncOperations.addHandler(upstreamEnd)
                        SpliceHandler.pair(downstream, upstreamEnd)
                    } catch {
                        upstream.close(promise: nil)
                        channel.close(promise: nil)
                    }
                case .failure:
                    cluster.stats.upstreamCxActive.subtract(1, ordering: .relaxed)
                    cluster.stats.upstreamCxConnectFail.add(1, ordering: .relaxed)
                    cluster.recordOutcome(endpoint, status: nil)
                    channel.close(promise: nil)
                }
            }
    }
}

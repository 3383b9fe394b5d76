import MeshPolicy
import NIOCore
import NIOPosix
import NIOSSL

/// Sets up a TCP listener's child channel: a splice end that reads nothing until the upstream connection
/// (opened on the same event loop) is up, then bytes flow both ways with half-close. Under AuthorizationPolicy
/// the connection is checked first (after the TLS handshake when there is one, so the peer identity is known)
/// and closed when denied, before any upstream connection is opened.
enum TCPProxy {
    static func setUp(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime, tls: NIOSSLContext?) throws {
        guard listener.defaultCluster != nil else { throw ProxyError(.startup, "tcp listener without cluster") }
        runtime.stats.tcpConnections.add(1, ordering: .relaxed)
        let sync = channel.pipeline.syncOperations
        if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
        let downstream = SpliceHandler(buckets: listener.bandwidthBuckets(direction: .upload))
        guard let authorizer = listener.authorizer else {
            try sync.addHandler(downstream)
            connectUpstream(channel, downstream: downstream, runtime: runtime, listener: listener)
            return
        }
        let authorize = { (channel: any Channel) -> Bool in
            let info = ConnectionInfo.of(channel, listener: listener)
            let request = AuthzRequest(
                port: info.port, sourcePrincipal: info.principal, sourceIP: info.clientAddress,
                destinationIP: info.localAddress)
            return authorizer.check(request) == .allowed
        }
        guard tls != nil else {
            guard authorize(channel) else {
                channel.close(promise: nil)
                return
            }
            try sync.addHandler(downstream)
            connectUpstream(channel, downstream: downstream, runtime: runtime, listener: listener)
            return
        }
        let gate = HandshakeGate { context in
            guard authorize(context.channel) else {
                context.close(promise: nil)
                return
            }
            do {
                try context.pipeline.syncOperations.addHandler(downstream)
            } catch {
                context.close(promise: nil)
                return
            }
            connectUpstream(context.channel, downstream: downstream, runtime: runtime, listener: listener)
        }
        try sync.addHandler(gate)
    }

    /// Istio's TCP metrics of a spliced connection: opened now, bytes each way and closed when it ends.
    private static func meter(
        _ channel: any Channel, downstream: SpliceHandler, upstream: SpliceHandler, cluster: ClusterRuntime,
        runtime: ProxyRuntime, listener: ListenerRuntime
    ) {
        var labels = listener.metricLabels
        let principal = ConnectionInfo.of(channel, listener: listener).principal
        if labels.reporter == "destination" {
            labels.connectionSecurityPolicy = principal == nil ? "none" : "mutual_tls"
            labels.sourcePrincipal = principal ?? "unknown"
        }
        if let destination = cluster.metricsDestination { labels.setDestinationService(destination) }
        let metrics = runtime.stats.istio
        metrics.recordTCP(labels, opened: 1)
        channel.closeFuture.assumeIsolated().whenComplete { _ in
            metrics.recordTCP(labels, closed: 1, sent: upstream.bytesRead, received: downstream.bytesRead)
        }
    }

    /// Opens the upstream connection on the channel's loop and joins the two splice ends.
    static func connectUpstream(
        _ channel: any Channel, downstream: SpliceHandler, runtime: ProxyRuntime, listener: ListenerRuntime
    ) {
        guard let cluster = listener.defaultCluster else {
            channel.close(promise: nil)
            return
        }
        let loop = runtime.loopState(for: channel.eventLoop)
        guard let endpoint = cluster.pickEndpoint(hash: nil, random: loop.nextRandom()) else {
            channel.close(promise: nil)
            return
        }
        cluster.stats.upstreamCxActive.add(1, ordering: .relaxed)
        cluster.stats.upstreamCxTotal.add(1, ordering: .relaxed)
        let origination = cluster.origination(for: endpoint)
        let upstreamTLS = origination?.context
        let serverName = origination?.settings.sni
        let allowedSANs = origination?.settings.subjectAltNames ?? []
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
                    let upstreamEnd = SpliceHandler(buckets: listener.bandwidthBuckets(direction: .download))
                    do {
                        try upstream.pipeline.syncOperations.addHandler(upstreamEnd)
                        SpliceHandler.pair(downstream, upstreamEnd)
                        meter(channel, downstream: downstream, upstream: upstreamEnd, cluster: cluster, runtime: runtime, listener: listener)
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

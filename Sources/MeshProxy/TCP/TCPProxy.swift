import MeshPolicy
import NIOCore
import NIOPosix
import NIOSSL

/// Sets up a TCP listener's child channel: a splice end that reads nothing until the upstream connection
/// (opened on the same event loop) is up, then bytes flow both ways with half-close. Under TLS the upstream
/// connection waits for the handshake; under AuthorizationPolicy the connection is checked then (so the peer
/// identity is known) and closed when denied, before any upstream connection is opened. When the handshake
/// negotiated Istio's TCP metadata exchange, the peers' frames are swapped first (`PeerExchange`). A gateway
/// PASSTHROUGH listener picks the cluster by the SNI of each connection (`TLSPassthrough`), the others use their
/// default cluster.
enum TCPProxy {
    static func setUp(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime, tls: NIOSSLContext?) throws {
        let defaultCluster = listener.defaultCluster
        guard defaultCluster != nil || listener.config.sniRoutes != nil else { throw ProxyError(.startup, "tcp listener without cluster") }
        runtime.stats.tcpConnections.add(1, ordering: .relaxed)
        let sync = channel.pipeline.syncOperations
        if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
        let downstream = SpliceHandler(buckets: listener.bandwidthBuckets(direction: .upload))
        func splice(_ channel: any Channel, peer: PeerMetadata?) throws {
            guard let cluster = defaultCluster else {
                try TLSPassthrough.route(channel, downstream: downstream, runtime: runtime, listener: listener)
                return
            }
            try channel.pipeline.syncOperations.addHandler(downstream)
            connectUpstream(channel, downstream: downstream, cluster: cluster, runtime: runtime, listener: listener, peer: peer)
        }
        let authorize = { (channel: any Channel) -> Bool in
            guard let authorizer = listener.authorizer else { return true }
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
            try splice(channel, peer: nil)
            return
        }
        try sync.addHandler(PeerExchange.gate(runtime: runtime, admit: authorize) { channel, peer in try splice(channel, peer: peer) })
    }

    /// Istio's TCP metrics of a spliced connection: opened now, bytes each way and closed when it ends. The
    /// `peer` the metadata exchange named is the source of an inbound sidecar, else the destination.
    private static func meter(
        _ channel: any Channel, downstream: SpliceHandler, upstream: SpliceHandler, cluster: ClusterRuntime,
        runtime: ProxyRuntime, listener: ListenerRuntime, peer: PeerMetadata?
    ) {
        var labels = listener.metricLabels
        let principal = ConnectionInfo.of(channel, listener: listener).principal
        if labels.reporter == "destination" {
            labels.connectionSecurityPolicy = principal == nil ? "none" : "mutual_tls"
            labels.source.principal = principal ?? "unknown"
        }
        let peerSide: WritableKeyPath<IstioMetrics.Labels, IstioMetrics.Labels.Side> =
            labels.reporter == "destination" ? \.source : \.destination
        if let peer { labels[keyPath: peerSide].set(peer) }
        labels.setDestinationService(cluster.config.name.split(separator: "|").first.map(String.init) ?? cluster.config.name)
        let metrics = runtime.stats.istio
        metrics.recordTCP(labels, opened: 1)
        channel.closeFuture.assumeIsolated().whenComplete { _ in
            metrics.recordTCP(labels, closed: 1, sent: upstream.bytesRead, received: downstream.bytesRead)
        }
    }

    /// Opens the upstream connection to `cluster` on the channel's loop and joins the two splice ends; `peer` is
    /// the downstream's metadata, if it sent any. Auto mTLS offers Istio's TCP metadata exchange: when the
    /// upstream takes it, the ends are joined once the upstream's frame is read, and until then either
    /// connection closing closes the other.
    static func connectUpstream(
        _ channel: any Channel, downstream: SpliceHandler, cluster: ClusterRuntime, runtime: ProxyRuntime, listener: ListenerRuntime,
        peer: PeerMetadata? = nil
    ) {
        let loop = runtime.loopState(for: channel.eventLoop)
        guard let endpoint = cluster.pickEndpoint(hash: nil, random: loop.nextRandom()) else {
            channel.close(promise: nil)
            return
        }
        cluster.stats.upstreamCxActive.add(1, ordering: .relaxed)
        cluster.stats.upstreamCxTotal.add(1, ordering: .relaxed)
        let origination = cluster.origination(for: endpoint, tcp: true)
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
                    var joined = false
                    func join(_ upstreamPeer: PeerMetadata?) throws {
                        joined = true
                        try upstream.pipeline.syncOperations.addHandler(upstreamEnd)
                        SpliceHandler.pair(downstream, upstreamEnd)
                        meter(
                            channel, downstream: downstream, upstream: upstreamEnd, cluster: cluster, runtime: runtime,
                            listener: listener, peer: peer ?? upstreamPeer)
                    }
                    do {
                        let offersExchange = upstreamTLS != nil && upstreamTLS === cluster.tcpAutoMTLSContext
                        guard offersExchange else {
                            try join(nil)
                            return
                        }
                        upstream.closeFuture.assumeIsolated().whenComplete { _ in if !joined { channel.close(promise: nil) } }
                        channel.closeFuture.assumeIsolated().whenComplete { _ in if !joined { upstream.close(promise: nil) } }
                        try upstream.pipeline.syncOperations.addHandler(
                            PeerExchange.gate(runtime: runtime) { _, upstreamPeer in try join(upstreamPeer) })
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

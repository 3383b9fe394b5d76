import MeshPolicy
import NIOCore
import NIOPosix
import NIOSSL

/// Sets up a TCP listener's child channel: a splice end that reads nothing until the upstream connection
/// (opened on the same event loop) is up, then bytes flow both ways with half-close. Under TLS the rest waits
/// for the handshake, and when it negotiated Istio's TCP metadata exchange the peers' frames are swapped first
/// (`PeerExchange`). Under AuthorizationPolicy the connection is checked then (the peer identity is known; with
/// a CUSTOM policy's gRPC provider, once it answers) and closed when denied, before any upstream connection is
/// opened. A gateway PASSTHROUGH listener picks the cluster by the SNI of each connection (`TLSPassthrough`),
/// the others use their default cluster.
enum TCPProxy {
    static func setUp(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime, tls: NIOSSLContext?) throws {
        let defaultCluster = listener.defaultCluster
        guard defaultCluster != nil || listener.config.sniRoutes != nil else { throw ProxyError(.startup, "tcp listener without cluster") }
        runtime.stats.tcpConnections.add(1, ordering: .relaxed)
        let sync = channel.pipeline.syncOperations
        if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
        let downstream = SpliceHandler(buckets: listener.bandwidthBuckets(direction: .upload))
        // The splice end of a default-cluster connection is added first: it reads nothing until paired, so it
        // keeps what arrives while the connection is checked. A PASSTHROUGH connection reads its ClientHello
        // only once admitted.
        func hold(_ channel: any Channel) throws {
            if defaultCluster != nil { try channel.pipeline.syncOperations.addHandler(downstream) }
        }
        func proceed(_ channel: any Channel, peer: PeerMetadata?) throws {
            if let cluster = defaultCluster {
                connectUpstream(channel, downstream: downstream, cluster: cluster, runtime: runtime, listener: listener, peer: peer)
            } else {
                try TLSPassthrough.route(channel, downstream: downstream, runtime: runtime, listener: listener)
            }
        }
        // `peer`: the caller's metadata, when the exchange brought it.
        func admit(_ channel: any Channel, peer: PeerMetadata?) throws {
            try hold(channel)
            guard let authorizer = listener.authorizer else { return try proceed(channel, peer: peer) }
            authorize(channel, authorizer: authorizer, listener: listener) { allowed in
                guard allowed else { return channel.close(promise: nil) }
                do { try proceed(channel, peer: peer) } catch { channel.close(promise: nil) }
            }
        }
        guard tls != nil else {
            try admit(channel, peer: nil)
            return
        }
        try sync.addHandler(PeerExchange.gate(runtime: runtime) { channel, peer in try admit(channel, peer: peer) })
    }

    /// Whether AuthorizationPolicy admits the connection. A CUSTOM policy with a gRPC provider asks it first, as
    /// Envoy's network ext_authz filter does (the peers only); one with an HTTP provider is skipped, as in Istio.
    private static func authorize(
        _ channel: any Channel, authorizer: InboundAuthorizer, listener: ListenerRuntime, then decided: @escaping (Bool) -> Void
    ) {
        let info = ConnectionInfo.of(channel, listener: listener)
        let request = AuthzRequest(
            port: info.port, sourcePrincipal: info.principal, sourceIP: info.clientAddress, destinationIP: info.localAddress)
        func enforced() -> Bool {
            guard case .allowed = authorizer.checkAfterProvider(request) else { return false }
            return true
        }
        switch authorizer.check(request) {
        case .allowed:
            decided(true)
        case .denied:
            decided(false)
        case .askProvider(let client) where client.provider.api == .http:
            decided(enforced())
        case .askProvider(let client):
            let input = ExtAuthzClient.Input(connection: info, scheme: "")
            client.check(input, on: channel.eventLoop).assumeIsolated().whenSuccess { decision in
                guard case .allow = decision else { return decided(false) }
                decided(enforced())
            }
        }
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
        if let destination = cluster.metricsDestination { labels.setDestinationService(destination) }
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
                        try upstream.pipeline.syncOperations.addHandler(upstreamEnd)
                        joined = true
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
                            PeerExchange.gate(runtime: runtime, refused: { channel.close(promise: nil) }) { _, upstreamPeer in
                                try join(upstreamPeer)
                            })
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

import NIOCore

/// A connection to a gateway PASSTHROUGH server: its first bytes are read until the ClientHello's SNI is
/// known, the listener's TLS routes pick the cluster, and every byte (the ClientHello too) is spliced there
/// without terminating TLS. A missing or unrouted SNI, a malformed or oversized ClientHello, or none within
/// the header timeout closes the connection.
enum TLSPassthrough {
    /// Adds the SNI reader in front of `downstream`, the splice end joined once the upstream is connected.
    static func route(_ channel: any Channel, downstream: SpliceHandler, runtime: ProxyRuntime, listener: ListenerRuntime) throws {
        let stats = runtime.stats
        let loop = runtime.loopState(for: channel.eventLoop)
        let timeout = channel.eventLoop.assumeIsolated().scheduleTask(in: runtime.config.limits.headerTimeout.timeAmount) {
            channel.close(promise: nil)
        }
        channel.closeFuture.whenComplete { _ in timeout.cancel() }
        let router = FirstBytesRouter<Decision>(
            classify: { bytes in
                switch ClientHelloSNI.parse(Array(bytes)) {
                case .needMoreBytes:
                    return nil
                case .serverName(let name):
                    stats.tlsInspectorSNIFound.add(1, ordering: .relaxed)
                    if let cluster = listener.cluster(forServerName: name, roll: loop.nextRandom()) { return .splice(cluster) }
                    stats.noFilterChainMatch.add(1, ordering: .relaxed)
                case .noServerName:
                    stats.tlsInspectorSNINotFound.add(1, ordering: .relaxed)
                case .malformed:
                    stats.tlsInspectorNotTLS.add(1, ordering: .relaxed)
                case .tooLarge:
                    stats.tlsInspectorTooLarge.add(1, ordering: .relaxed)
                }
                return .refuse
            },
            configure: { context, decision in
                timeout.cancel()
                guard case .splice(let cluster) = decision else { throw Refused() }
                try context.pipeline.syncOperations.addHandler(downstream)
                TCPProxy.connectUpstream(context.channel, downstream: downstream, cluster: cluster, runtime: runtime, listener: listener)
            })
        try channel.pipeline.syncOperations.addHandler(router)
    }

    /// What the ClientHello decided.
    private enum Decision {
        case splice(ClusterRuntime)
        case refuse
    }

    /// No route for the connection: the router closes it.
    private struct Refused: Error {}
}

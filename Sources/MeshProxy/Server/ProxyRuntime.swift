import NIOCore
import NIOPosix

/// Everything the handlers share while the proxy runs: the config, clusters, listeners, stats and the
/// per-event-loop state. Built once at start-up.
final class ProxyRuntime: Sendable {
    let config: ProxyConfig
    let stats = ProxyStats()
    let clusters: [String: ClusterRuntime]
    let listeners: [ListenerRuntime]
    private let loops: [ObjectIdentifier: LoopState]
    let startedAt = NIODeadline.now()

    init(config: ProxyConfig, group: any EventLoopGroup) throws {
        self.config = config
        var nextEndpointID = 0
        var clusters: [String: ClusterRuntime] = [:]
        for (name, cluster) in config.clusters {
            var endpoints: [EndpointRuntime] = []
            for endpoint in cluster.endpoints {
                let address: SocketAddress
                do {
                    address = try SocketAddress.makeAddressResolvingHost(endpoint.address.host, port: endpoint.address.port)
                } catch {
                    throw ProxyError(.invalidConfig, "cluster \(name): cannot resolve endpoint \(endpoint.address) (\(error))")
                }
                endpoints.append(EndpointRuntime(id: nextEndpointID, config: endpoint, socketAddress: address))
                nextEndpointID += 1
            }
            let tls = try cluster.tls.map { try TLSContexts.client($0) }
            clusters[name] = ClusterRuntime(config: cluster, endpoints: endpoints, tlsContext: tls)
        }
        self.clusters = clusters
        self.listeners = try config.listeners.map { listener in
            let tls = try listener.tls.map {
                try TLSContexts.server($0, alpn: listener.protocol == .http ? ["h2", "http/1.1"] : [])
            }
            var defaultCluster: ClusterRuntime?
            if let name = listener.defaultCluster {
                guard let cluster = clusters[name] else {
                    throw ProxyError(.invalidConfig, "listener \(listener.name): cluster \(name) is not defined")
                }
                defaultCluster = cluster
            }
            if listener.protocol == .tcp && defaultCluster == nil {
                throw ProxyError(.invalidConfig, "listener \(listener.name): a tcp listener needs a cluster")
            }
            return ListenerRuntime(
                config: listener, tlsContext: tls, defaultCluster: defaultCluster, routes: config.routes,
                clusters: clusters)
        }
        var loops: [ObjectIdentifier: LoopState] = [:]
        for loop in group.makeIterator() {
            loops[ObjectIdentifier(loop)] = LoopState(eventLoop: loop)
        }
        self.loops = loops
    }

    /// The state of `eventLoop` (one of the group's loops).
    func loopState(for eventLoop: any EventLoop) -> LoopState {
        if let state = loops[ObjectIdentifier(eventLoop)] { return state }
        preconditionFailure("event loop outside the proxy's group")
    }

    /// Every loop's state.
    var allLoops: [LoopState] { Array(loops.values) }

    /// Requests in flight across all loops.
    var activeRequests: Int { stats.downstreamRqActive.load(ordering: .relaxed) }
}

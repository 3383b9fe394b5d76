import MeshPolicy
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Everything the handlers share while the proxy runs: the config, clusters, listeners, stats and the
/// per-event-loop state. Built at start-up and again for each config reload; a reload leaves the old runtime
/// pointing at its successor, and connections move over between requests.
final class ProxyRuntime: Sendable {
    let config: ProxyConfig
    let stats: ProxyStats
    let clusters: [String: ClusterRuntime]
    let listeners: [ListenerRuntime]
    /// Local rate limits, each with its buckets (shared by the listeners it covers).
    let rateLimiters: [LocalRateLimiter]
    /// Trace propagation and span export; `nil` when tracing is not configured.
    let tracer: Tracer?
    /// Where access log lines go; `nil` when the access log is off. Kept across reloads while its file is the same.
    let accessLog: AccessLogWriter?
    /// The proxy's own log, its levels set by the admin `/logging` (carried across reloads).
    let log: ProxyLog
    /// This proxy's side of Istio's metadata exchange: its HTTP headers and its TCP frame.
    let peerHeaders: PeerMetadataHeaders
    let peerExchangeFrame: [UInt8]
    /// The fetchers of `jwksUri` keys, by URI (shared with the previous runtime where unchanged).
    let jwksFetchers: [JWKSEndpoint: RemoteJWKS]
    /// The fetchers this runtime made (not carried over): started once the runtime is put in service.
    private let newFetchers: [RemoteJWKS]
    private let loops: [ObjectIdentifier: LoopState]
    let startedAt: NIODeadline
    private let successor = Mutex<ProxyRuntime?>(nil)
    private let superseded = Atomic<Bool>(false)

    /// `previous` is the runtime a reload replaces: the counters and the start time carry over.
    init(config: ProxyConfig, group: any EventLoopGroup, previous: ProxyRuntime? = nil) throws {
        self.config = config
        let stats = previous?.stats ?? ProxyStats()
        self.stats = stats
        self.startedAt = previous?.startedAt ?? .now()
        let log = previous?.log ?? ProxyLog()
        self.log = log
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
            let alpn = cluster.http2 ? ["h2"] : ["http/1.1"]
            let tls = try cluster.tls.map { try TLSContexts.client($0, alpn: alpn) }
            let meshed = cluster.tls == nil && !cluster.tlsFromDestinationRule && cluster.hasMeshedEndpoints
            let auto = meshed ? try cluster.autoMTLS.map { try TLSContexts.client($0, alpn: alpn) } : nil
            let tcpAuto = meshed ? try cluster.autoMTLS.map { try TLSContexts.client($0, alpn: [PeerExchangeFrame.protocolName] + alpn) } : nil
            clusters[name] = ClusterRuntime(
                config: cluster, endpoints: endpoints, tlsContext: tls, autoMTLSContext: auto, tcpAutoMTLSContext: tcpAuto)
        }
        self.clusters = clusters
        // Built once: the compiled AuthorizationPolicies of this workload, shared by every inbound listener.
        let authorizer = InboundAuthorizer(security: config.security, stats: stats, log: log)
        let jwtRules = config.security.jwtRules
        let (jwksFetchers, newFetchers) = try RemoteJWKS.fetchers(
            for: jwtRules, config: config.security.jwksFetch, previous: previous?.jwksFetchers ?? [:], group: group,
            stats: stats, log: log)
        self.jwksFetchers = jwksFetchers
        self.newFetchers = newFetchers
        let authenticator = RequestAuthenticator(rules: jwtRules, remoteKeys: jwksFetchers)
        let ownURIs = config.security.identity?.certificateFile.map(Self.certificateURIs) ?? []
        let ownPrincipal = ownURIs.first { $0.hasPrefix("spiffe://") }
        let now = NIODeadline.now().uptimeNanoseconds.clampedToInt64
        let rateLimiters = config.rateLimits.map { LocalRateLimiter(config: $0, now: now) }
        self.rateLimiters = rateLimiters
        let workload = config.security.workload
        let ownMetadata = PeerMetadata(own: workload, node: config.node, trustDomain: config.trustDomain)
        self.peerHeaders = PeerMetadataHeaders(
            own: ownMetadata, role: config.role, address: config.listeners.first?.address.host ?? "0.0.0.0")
        self.peerExchangeFrame = PeerExchangeFrame.encode(ownMetadata, id: peerHeaders.id)
        let exporter = config.tracing.exports ? SpanExporter(config: config.tracing, eventLoop: group.next()) : nil
        exporter?.start()
        self.tracer = !config.tracing.enabled ? nil : Tracer(
            config: config.tracing, exporter: exporter,
            serviceName: "\(workload.name ?? workload.labels["app"] ?? "unknown").\(workload.namespace)")
        var meshContexts: [ListenerConfig.ListenerProtocol: NIOSSLContext] = [:]
        func meshContext(_ kind: ListenerConfig.ListenerProtocol) throws -> NIOSSLContext {
            if let context = meshContexts[kind] { return context }
            guard let identity = config.security.identity, let certificate = identity.certificateFile,
                let key = identity.keyFile, let ca = identity.caFile
            else {
                throw ProxyError(.invalidConfig, "mutual TLS needs the workload identity (ProxyBootstrap spec.identity: certificate, key, ca)")
            }
            let context = try TLSContexts.server(
                ServerTLSConfig(certificateFile: certificate, keyFile: key, clientCAFile: ca),
                alpn: kind == .http ? ["h2", "http/1.1"] : [PeerExchangeFrame.protocolName])
            meshContexts[kind] = context
            return context
        }
        self.listeners = try config.listeners.map { listener in
            let tls = try listener.tls.map {
                try TLSContexts.server($0, alpn: listener.protocol == .http ? ["h2", "http/1.1"] : [])
            }
            let inbound = listener.direction == .inbound
            var transport = ListenerRuntime.Transport.plaintext
            var mode: PeerAuthenticationResolver.Resolution?
            if let tls {
                transport = .tls(tls)
            } else if inbound && listener.gateway == nil {
                let resolution = config.security.mtlsMode(port: listener.targetPort ?? listener.address.port)
                mode = resolution
                switch resolution.mode {
                case .strict: transport = .tls(try meshContext(listener.protocol))
                case .permissive: transport = .permissive(try meshContext(listener.protocol))
                case .disable: transport = .plaintext
                }
            }
            var defaultCluster: ClusterRuntime?
            if let name = listener.defaultCluster {
                guard let cluster = clusters[name] else {
                    throw ProxyError(.invalidConfig, "listener \(listener.name): cluster \(name) is not defined")
                }
                defaultCluster = cluster
            }
            if listener.protocol == .tcp && defaultCluster == nil && listener.sniRoutes == nil {
                throw ProxyError(.invalidConfig, "listener \(listener.name): a tcp listener needs a cluster")
            }
            return ListenerRuntime(
                config: listener, tlsContext: tls, defaultCluster: defaultCluster, routes: config.routes.routes(for: listener),
                clusters: clusters, transport: transport, mtlsMode: mode, authorizer: inbound ? authorizer : nil,
                authenticator: inbound ? authenticator : nil,
                rateLimiters: listener.protocol == .http ? rateLimiters.filter { $0.config.scope.includes(listener) } : [],
                metricLabels: .own(listener: listener, metadata: ownMetadata, principal: ownPrincipal),
                forwarding: .of(
                    listener, role: config.role, localURIs: listener.tls.map { Self.certificateURIs($0.certificateFile) } ?? ownURIs,
                    numTrustedProxies: config.gateway.numTrustedProxies))
        }
        var loops: [ObjectIdentifier: LoopState] = [:]
        for loop in group.makeIterator() {
            loops[ObjectIdentifier(loop)] = LoopState(eventLoop: loop)
        }
        self.loops = loops
        // Opened last, so a config that fails above leaves no file open.
        if let log = config.accessLog {
            self.accessLog = try previous?.config.accessLog?.path == log.path ? previous?.accessLog ?? AccessLogWriter.open(log) : AccessLogWriter.open(log)
        } else {
            self.accessLog = nil
        }
    }

    /// The URI SANs of the first certificate in the PEM file at `path` (none when it can't be read).
    static func certificateURIs(_ path: String) -> [String] {
        (try? NIOSSLCertificate.fromPEMFile(path).first).map(PeerIdentity.uris(of:)) ?? []
    }

    /// Starts the JWKS fetches this runtime made, once it is in service (a runtime that fails to build or
    /// whose reload is rejected leaves no fetch running).
    func startFetching() {
        for fetcher in newFetchers { fetcher.start() }
    }

    /// The state of `eventLoop` (one of the group's loops).
    func loopState(for eventLoop: any EventLoop) -> LoopState {
        if let state = loops[ObjectIdentifier(eventLoop)] { return state }
        preconditionFailure("event loop outside the proxy's group")
    }

    /// Every loop's state.
    var allLoops: [LoopState] { Array(loops.values) }

    /// The listener called `name`, if this config has one.
    func listener(named name: String) -> ListenerRuntime? {
        listeners.first { $0.config.name == name }
    }

    /// Whether a reload replaced this runtime (cheap: checked at the start of every request).
    var isSuperseded: Bool { superseded.load(ordering: .acquiring) }

    /// The newest runtime: this one, or the end of the chain of reloads that replaced it.
    var latest: ProxyRuntime {
        var current = self
        while let next = current.successor.withLock({ $0 }) { current = next }
        return current
    }

    /// A reload replaced this runtime by `next`: idle pooled connections close, and every downstream
    /// connection moves to `next` (or closes, if its listener went away) once it has no request in flight.
    func supersede(by next: ProxyRuntime) {
        successor.withLock { $0 = next }
        superseded.store(true, ordering: .releasing)
        for state in loops.values {
            let drain = config.limits.drainTimeout
            state.eventLoop.execute { state.retire(drainTime: drain) { next.latest.listener(named: $0) } }
        }
        _ = tracer?.exporter?.stop()
        for (endpoint, fetcher) in jwksFetchers where next.jwksFetchers[endpoint] !== fetcher { fetcher.stop() }
    }

    /// Stops the JWKS fetches (at shutdown).
    func stopFetching() {
        for fetcher in jwksFetchers.values { fetcher.stop() }
    }

    /// Requests in flight across all loops.
    var activeRequests: Int { stats.downstreamRqActive.load(ordering: .relaxed) }
}

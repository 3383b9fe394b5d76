import MeshPolicy
import NIOCore
import NIOHTTP1
import NIOSSL

/// One listener while the proxy runs: its config, downstream transport, authorization, and the route lookup
/// of its requests.
final class ListenerRuntime: Sendable {
    /// How downstream connections are secured.
    enum Transport: Sendable {
        /// Plain text (no TLS configured, or PeerAuthentication DISABLE).
        case plaintext
        /// TLS only: the listener's own termination, or mutual TLS under PeerAuthentication STRICT.
        case tls(NIOSSLContext)
        /// PeerAuthentication PERMISSIVE: mutual TLS when the first bytes are a TLS handshake, else plain text.
        case permissive(NIOSSLContext)
    }

    let config: ListenerConfig
    let tlsContext: NIOSSLContext?
    let transport: Transport
    /// The effective PeerAuthentication mode of an inbound listener without its own TLS (`nil` otherwise).
    let mtlsMode: PeerAuthenticationResolver.Resolution?
    /// AuthorizationPolicy enforcement; `nil` when no policy applies or the listener is outbound.
    let authorizer: InboundAuthorizer?
    /// RequestAuthentication (JWT) checks; `nil` when none applies or the listener is outbound.
    let authenticator: RequestAuthenticator?
    /// Local rate limits that cover this listener.
    let rateLimiters: [LocalRateLimiter]
    /// The Istio metric labels this listener's side fills in: `reporter` and its own workload (destination
    /// labels for an inbound sidecar listener, source labels otherwise).
    let metricLabels: IstioMetrics.Labels
    let defaultCluster: ClusterRuntime?
    let routes: RouteTable
    let clusters: [String: ClusterRuntime]
    /// `https` behind TLS termination, else `http` (for scheme matches).
    let scheme: String
    /// What happens to `x-forwarded-for` and `x-forwarded-client-cert` here (gateway or sidecar direction).
    let forwarding: ForwardingPolicy
    /// The listener-wide bandwidth buckets, one per direction.
    private let sharedUpload: ByteBucket?
    private let sharedDownload: ByteBucket?

    init(
        config: ListenerConfig, tlsContext: NIOSSLContext?, defaultCluster: ClusterRuntime?, routes: RouteTable,
        clusters: [String: ClusterRuntime], transport: Transport, mtlsMode: PeerAuthenticationResolver.Resolution? = nil,
        authorizer: InboundAuthorizer? = nil, authenticator: RequestAuthenticator? = nil, rateLimiters: [LocalRateLimiter] = [],
        metricLabels: IstioMetrics.Labels = IstioMetrics.Labels(), forwarding: ForwardingPolicy = .sidecarInbound
    ) {
        self.forwarding = forwarding
        self.rateLimiters = rateLimiters
        self.metricLabels = metricLabels
        self.authenticator = authenticator
        self.config = config
        self.tlsContext = tlsContext
        self.transport = transport
        self.mtlsMode = mtlsMode
        self.authorizer = authorizer
        self.defaultCluster = defaultCluster
        self.routes = routes
        self.clusters = clusters
        self.scheme = tlsContext == nil ? "http" : "https"
        let now = NIODeadline.now().uptimeNanoseconds.clampedToInt64
        self.sharedUpload = config.bandwidth?.perListener.map { ByteBucket(bytesPerSecond: $0, now: now) }
        self.sharedDownload = config.bandwidth?.perListener.map { ByteBucket(bytesPerSecond: $0, now: now) }
    }

    /// Whether connections accepted by `other` (an older config's listener of the same name) can go on under
    /// this one: same protocol and the same kind of transport security.
    func canServeConnections(of other: ListenerRuntime) -> Bool {
        guard config.protocol == other.config.protocol else { return false }
        switch (transport, other.transport) {
        case (.plaintext, .plaintext), (.tls, .tls), (.permissive, .permissive): return true
        default: return false
        }
    }

    /// Which way bytes flow on a TCP connection: client to upstream, or back.
    enum Direction { case upload, download }

    /// Buckets for one new connection's bytes in `direction`: its own, and the listener's shared one.
    func bandwidthBuckets(direction: Direction) -> [ByteBucket] {
        guard let limit = config.bandwidth else { return [] }
        let now = NIODeadline.now().uptimeNanoseconds.clampedToInt64
        var buckets: [ByteBucket] = []
        if let rate = limit.perConnection { buckets.append(ByteBucket(bytesPerSecond: rate, now: now)) }
        if let shared = direction == .upload ? sharedUpload : sharedDownload { buckets.append(shared) }
        return buckets
    }

    /// The cluster a gateway PASSTHROUGH connection with SNI `serverName` goes to; `nil` when no TLS route
    /// serves that name.
    func cluster(forServerName serverName: String, roll: UInt64) -> ClusterRuntime? {
        guard let entry = config.sniRoutes?.entry(for: serverName),
            let name = RouteMatcher.pick(entry.destinations, roll: roll)
        else { return nil }
        return clusters[name]
    }

    /// What to do with a request that came in on `port` (the connection's workload port: a `:0` listener's
    /// bound one, not 0): the route rule that applies (if any) and the cluster chosen.
    func resolve(_ head: HTTPRequestHead, port: Int, roll: UInt64) -> RouteDecision {
        if routes.virtualHosts.isEmpty {
            guard let defaultCluster else { return .noRoute }
            return .forward(defaultCluster, nil)
        }
        let authority = head.headers.first(name: "host") ?? ""
        guard let host = routes.virtualHost(for: authority[...]) else {
            if let defaultCluster { return .forward(defaultCluster, nil) }
            return .noRoute
        }
        guard let rule = RouteMatcher.match(head, in: host, port: port, scheme: scheme) else {
            return .noRoute
        }
        switch rule.action {
        case .route(let destinations):
            guard let name = RouteMatcher.pick(destinations, roll: roll) else { return .noRoute }
            guard let cluster = clusters[name] ?? defaultCluster else { return .noCluster(rule, name) }
            return .forward(cluster, rule)
        case .redirect, .directResponse:
            return .local(rule)
        }
    }
}

/// The outcome of route resolution.
enum RouteDecision {
    /// The VirtualService rule that matched, if any.
    var rule: HTTPRouteRule? {
        switch self {
        case .forward(_, let rule): rule
        case .local(let rule), .noCluster(let rule, _): rule
        case .noRoute: nil
        }
    }

    /// Forward to the cluster, under the rule's policies when a rule matched.
    case forward(ClusterRuntime, HTTPRouteRule?)
    /// Answer locally (redirect or direct response).
    case local(HTTPRouteRule)
    /// No route matched: 404.
    case noRoute
    /// The route names a cluster that does not exist: 503.
    case noCluster(HTTPRouteRule, String)
}

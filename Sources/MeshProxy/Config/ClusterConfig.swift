/// An upstream cluster: endpoints plus the traffic policy that applies to them (a ServiceEntry or static
/// cluster, optionally narrowed to a DestinationRule subset).
public struct ClusterConfig: Sendable {
    /// Unique name: the host, or `host|subset`.
    public var name: String
    /// Where requests go.
    public var endpoints: [EndpointConfig]
    /// TLS origination, if any.
    public var tls: UpstreamTLSConfig?
    /// How an endpoint is chosen.
    public var loadBalancer: LoadBalancerPolicy
    /// Circuit-breaking limits.
    public var connectionPool: ConnectionPoolLimits
    /// Passive health checking, if enabled.
    public var outlierDetection: OutlierDetectionConfig?
    /// Istio's auto mTLS: when no DestinationRule sets TLS for the host, connections to meshed endpoints
    /// (`security.istio.io/tlsMode: istio`) use the workload identity (ISTIO_MUTUAL); others stay plain text.
    public var autoMTLS: UpstreamTLSConfig?
    /// The identities the host's servers may present (its ServiceEntry's `subjectAltNames` and its endpoints'
    /// service accounts as SPIFFE ids): what ISTIO_MUTUAL checks when the DestinationRule names no SANs.
    public var serviceAccountSANs: [String] = []
    /// Whether a DestinationRule decided this cluster's TLS (then auto mTLS stays off).
    public var tlsFromDestinationRule = false
    /// Whether requests go upstream over HTTP/2 (prior knowledge in plain text, ALPN `h2` under TLS): a
    /// ServiceEntry port of protocol HTTP2/GRPC/GRPC-WEB, or DestinationRule `h2UpgradePolicy: UPGRADE`.
    public var http2 = false

    /// Whether a sidecar fronts some endpoint (`security.istio.io/tlsMode: istio`): auto mTLS and Istio's
    /// metadata exchange apply.
    public var hasMeshedEndpoints: Bool { endpoints.contains(where: \.isMeshed) }

    public init(
        name: String, endpoints: [EndpointConfig], tls: UpstreamTLSConfig? = nil,
        loadBalancer: LoadBalancerPolicy = .roundRobin, connectionPool: ConnectionPoolLimits = ConnectionPoolLimits(),
        outlierDetection: OutlierDetectionConfig? = nil
    ) {
        self.name = name
        self.endpoints = endpoints
        self.tls = tls
        self.loadBalancer = loadBalancer
        self.connectionPool = connectionPool
        self.outlierDetection = outlierDetection
    }
}

/// One upstream address with its labels (ServiceEntry `endpoints[]`).
public struct EndpointConfig: Sendable, Hashable {
    /// Where to connect.
    public var address: HostPort
    /// Labels for subset selection (`version: v2`).
    public var labels: [String: String]
    /// Relative weight (1 by default).
    public var weight: Int

    /// Whether a sidecar fronts the endpoint (label `security.istio.io/tlsMode: istio`): auto mTLS applies.
    public var isMeshed: Bool { labels["security.istio.io/tlsMode"] == "istio" }

    public init(address: HostPort, labels: [String: String] = [:], weight: Int = 1) {
        self.address = address
        self.labels = labels
        self.weight = weight
    }
}

/// Istio `LoadBalancerSettings`.
public enum LoadBalancerPolicy: Sendable, Equatable {
    case roundRobin
    case leastRequest
    case random
    /// Consistent hash on a request property.
    case consistentHash(HashKey)

    /// What a consistent hash is computed over.
    public enum HashKey: Sendable, Equatable {
        case header(String)
        case cookie(CookieHash)
        case sourceIP
    }

    /// Istio `httpCookie`: the cookie hashed on; with a `ttl`, the proxy sets it when a request lacks it.
    public struct CookieHash: Sendable, Equatable {
        public var name: String
        public var path: String?
        public var ttl: Duration?

        public init(name: String, path: String? = nil, ttl: Duration? = nil) {
            self.name = name
            self.path = path
            self.ttl = ttl
        }
    }
}

/// Istio `ConnectionPoolSettings` as circuit-breaker thresholds (Envoy defaults when unset).
public struct ConnectionPoolLimits: Sendable, Equatable {
    /// `tcp.maxConnections`: upstream connections open at once.
    public var maxConnections: Int = Int(Int32.max)
    /// `http.http1MaxPendingRequests`: requests waiting for a connection.
    public var maxPendingRequests: Int = Int(Int32.max)
    /// `http.http2MaxRequests`: requests in flight.
    public var maxRequests: Int = Int(Int32.max)
    /// `http.maxRequestsPerConnection`: 0 means unlimited.
    public var maxRequestsPerConnection: Int = 0
    /// `http.maxRetries`: retries in flight.
    public var maxRetries: Int = Int(Int32.max)
    /// `tcp.connectTimeout`.
    public var connectTimeout: Duration? = nil
    /// `http.idleTimeout` for pooled upstream connections.
    public var idleTimeout: Duration = .seconds(3600)

    public init() {}
}

/// Istio `OutlierDetection`.
public struct OutlierDetectionConfig: Sendable, Equatable {
    /// `consecutive5xxErrors` (0 disables).
    public var consecutive5xxErrors: Int = 5
    /// `consecutiveGatewayErrors` (502, 503, 504 and connect failures; 0 disables). The deprecated
    /// `consecutiveErrors` sets this one, as Istio does.
    public var consecutiveGatewayErrors: Int = 0
    /// `baseEjectionTime`; an endpoint stays out for this times its ejection multiplier, up to
    /// `maxEjectionTime`.
    public var baseEjectionTime: Duration = .seconds(30)
    /// `maxEjectionPercent` of the cluster's endpoints that may be ejected at once (at least one may be).
    public var maxEjectionPercent: Int = 10
    /// `interval` between analysis sweeps: ejected endpoints return at the first sweep after their time is up,
    /// and each sweep lowers the multiplier of an endpoint in service.
    public var interval: Duration = .seconds(10)

    /// Envoy's `max_ejection_time`, which Istio leaves at its default: 300 s, or the base time if that is longer.
    public var maxEjectionTime: Duration { max(.seconds(300), baseEjectionTime) }

    public init() {}
}

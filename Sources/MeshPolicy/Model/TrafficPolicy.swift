import MeshCore

/// `DestinationRule.trafficPolicy` (and a subset's): load balancing, connection pool, outlier detection and TLS
/// toward a host. Parts meshctl does not act on (per-port settings, tunnel, PROXY protocol, retry budget) are
/// kept as documents.
public struct TrafficPolicy: Codable, Sendable, Hashable {
    public var loadBalancer: LoadBalancerSettings?
    public var connectionPool: ConnectionPoolSettings?
    public var outlierDetection: OutlierDetection?
    public var tls: ClientTLSSettings?
    public var portLevelSettings: [Value]?
    public var tunnel: Value?
    public var proxyProtocol: Value?
    public var retryBudget: Value?

    public init(loadBalancer: LoadBalancerSettings? = nil, tls: ClientTLSSettings? = nil) {
        self.loadBalancer = loadBalancer
        self.tls = tls
    }
}

/// How requests are spread over a host's endpoints: a simple policy or a consistent hash.
public struct LoadBalancerSettings: Codable, Sendable, Hashable {
    /// `UNSPECIFIED`, `RANDOM`, `PASSTHROUGH`, `ROUND_ROBIN`, `LEAST_REQUEST` or `LEAST_CONN`.
    public var simple: String?
    public var consistentHash: ConsistentHashLB?
    public var localityLbSetting: Value?
    public var warmupDurationSecs: String?
    public var warmup: Value?
    public var backendUtilization: Value?
    public var zoneAwareLbSetting: Value?

    public init(simple: String? = nil) { self.simple = simple }
}

/// Session affinity: the same header, cookie, query parameter or source IP goes to the same endpoint.
public struct ConsistentHashLB: Codable, Sendable, Hashable {
    public var httpHeaderName: String?
    public var httpCookie: HTTPCookie?
    public var useSourceIp: Bool?
    public var httpQueryParameterName: String?
    public var ringHash: Value?
    public var maglev: Value?
    public var minimumRingSize: Int?

    /// The cookie hashed on (and set when absent, with `ttl`).
    public struct HTTPCookie: Codable, Sendable, Hashable {
        public var name: String?
        public var path: String?
        public var ttl: String?
        public var attributes: [Value]?
    }
}

/// Circuit-breaker thresholds of a host's connection pool.
public struct ConnectionPoolSettings: Codable, Sendable, Hashable {
    public var tcp: TCP?
    public var http: HTTP?

    /// TCP connection limits.
    public struct TCP: Codable, Sendable, Hashable {
        public var maxConnections: Int?
        public var connectTimeout: String?
        public var tcpKeepalive: Value?
        public var maxConnectionDuration: String?
        public var idleTimeout: String?
    }

    /// HTTP request limits.
    public struct HTTP: Codable, Sendable, Hashable {
        public var http1MaxPendingRequests: Int?
        public var http2MaxRequests: Int?
        public var maxRequestsPerConnection: Int?
        public var maxRetries: Int?
        public var idleTimeout: String?
        /// `DEFAULT`, `DO_NOT_UPGRADE` or `UPGRADE`.
        public var h2UpgradePolicy: String?
        public var useClientProtocol: Bool?
        public var maxConcurrentStreams: Int?
        public var http2KeepAlive: Value?
    }
}

/// Ejection of endpoints that keep failing.
public struct OutlierDetection: Codable, Sendable, Hashable {
    public var splitExternalLocalOriginErrors: Bool?
    public var consecutiveLocalOriginFailures: Int?
    public var consecutiveGatewayErrors: Int?
    public var consecutive5xxErrors: Int?
    /// Deprecated: Istio counts only gateway errors (502, 503, 504) with it.
    public var consecutiveErrors: Int?
    public var interval: String?
    public var baseEjectionTime: String?
    public var maxEjectionPercent: Int?
    public var minHealthPercent: Int?
    public var outlierDetectionHttpErrorCodes: [Int]?
}

/// TLS a client side originates toward a host.
public struct ClientTLSSettings: Codable, Sendable, Hashable {
    /// `DISABLE`, `SIMPLE`, `MUTUAL` or `ISTIO_MUTUAL`.
    public var mode: String?
    public var clientCertificate: String?
    public var privateKey: String?
    public var caCertificates: String?
    public var credentialName: String?
    public var subjectAltNames: [String]?
    public var sni: String?
    public var insecureSkipVerify: Bool?
    public var caCrl: String?

    public init(mode: String? = nil) { self.mode = mode }
}

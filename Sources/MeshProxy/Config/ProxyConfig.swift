/// The effective configuration of one proxy process: listeners, upstream clusters, HTTP routes, admin.
///
/// Built from the bootstrap and Istio resources by `ConfigLoader` (or from the `proxy run` shorthand flags);
/// immutable once the proxy runs, so every event loop reads it without locks.
public struct ProxyConfig: Sendable {
    /// Where the proxy accepts connections.
    public var listeners: [ListenerConfig]
    /// Upstream clusters by name (`reviews.default.svc.cluster.local`, `reviews.default.svc.cluster.local|v2`).
    public var clusters: [String: ClusterConfig]
    /// HTTP routes from VirtualServices, by host.
    public var routes: RouteTable
    /// The admin listener (`/ready`, `/stats`, …), if any.
    public var admin: HostPort?
    /// The role: `sidecar` (VirtualServices bound to `mesh` apply) or `gateway` (Gateway resources selecting
    /// this workload become listeners, served by the VirtualServices bound to them).
    public var role: String
    /// Limits applied to downstream HTTP.
    public var limits: HTTPLimits
    /// Where JSON access log lines go; `nil` (the default) turns the access log off.
    public var accessLog: AccessLogConfig?
    /// Who this proxy stands for and the PeerAuthentication and AuthorizationPolicy resources it enforces.
    public var security: SecurityConfig
    /// VirtualService TCP routes (used by gateway TCP servers).
    public var tcpRoutes: [TCPRoute] = []
    /// VirtualService TLS routes, one per match (used by gateway PASSTHROUGH servers).
    public var tlsRoutes: [SNIRoute] = []
    /// Where Gateway servers listen (role `gateway`).
    public var gateway = GatewaySettings()
    /// Local rate limits on HTTP requests (EnvoyFilter local_ratelimit, or the bootstrap's `rateLimits`).
    public var rateLimits: [LocalRateLimitConfig] = []
    /// Trace propagation, sampling and span export.
    public var tracing = TracingConfig()
    /// Istio's `enableAutoMtls` (on by default): meshed endpoints get mTLS unless a DestinationRule says.
    public var autoMTLS = true
    /// The mesh trust domain, for the SPIFFE ids of ServiceEntry endpoints' service accounts.
    public var trustDomain = "cluster.local"
    /// The rest of the workload's Istio node metadata, sent to peers by the metadata exchange.
    public var node = NodeMetadata()

    public init(
        listeners: [ListenerConfig] = [], clusters: [String: ClusterConfig] = [:], routes: RouteTable = RouteTable(),
        admin: HostPort? = nil, role: String = "sidecar", limits: HTTPLimits = HTTPLimits(), accessLog: AccessLogConfig? = nil,
        security: SecurityConfig = SecurityConfig()
    ) {
        self.security = security
        self.listeners = listeners
        self.clusters = clusters
        self.routes = routes
        self.admin = admin
        self.role = role
        self.limits = limits
        self.accessLog = accessLog
    }
}

/// Safe defaults for downstream HTTP input.
public struct HTTPLimits: Sendable {
    /// Largest request head (request line and headers) accepted; larger answers 431 and closes, as Envoy's
    /// `max_request_headers_kb` (default 60 KiB) does.
    public var maxHeaderBytes: Int = 60 * 1024
    /// Largest number of request headers accepted; more answers 431 and closes (Envoy: `max_headers_count`,
    /// default 100).
    public var maxHeaderCount: Int = 100
    /// What `maxHeaderBytes` may be set to: the HTTP/1.1 parser rejects heads over 80 KiB by itself.
    public static let headerBytesRange = 1024...(80 * 1024)
    /// A keep-alive connection is closed after this long without a request.
    public var idleTimeout: Duration = .seconds(300)
    /// A new connection must finish its TLS handshake and send its first request head within this long.
    public var headerTimeout: Duration = .seconds(60)
    /// Default upstream connect timeout (Istio `connectTimeout` default 10s).
    public var connectTimeout: Duration = .seconds(10)
    /// How long a graceful shutdown waits for in-flight requests.
    public var drainTimeout: Duration = .seconds(5)
    /// Request bodies up to this size are kept for retries; larger bodies are streamed and not retried.
    public var retryBufferBytes: Int = 64 * 1024
    /// Largest request body accepted; larger answers 413 and closes (Envoy's buffer filter `max_request_bytes`).
    /// `nil`, the default, streams bodies of any size, as Envoy does without that filter.
    public var maxRequestBodyBytes: Int?

    public init() {}
}

/// One listening socket and what it does with connections.
public struct ListenerConfig: Sendable {
    /// What a listener speaks downstream.
    public enum ListenerProtocol: String, Sendable {
        /// HTTP/1.1 and HTTP/2 (prior knowledge in plaintext, ALPN `h2` under TLS).
        case http
        /// Opaque TCP, spliced to the cluster.
        case tcp
    }

    /// A name for stats and config dumps.
    public var name: String
    /// Where to listen.
    public var address: HostPort
    /// HTTP or TCP.
    public var `protocol`: ListenerProtocol
    /// TLS termination, if any.
    public var tls: ServerTLSConfig?
    /// The cluster used when no VirtualService route matches (always used by TCP listeners).
    public var defaultCluster: String?
    /// Inbound listeners (the default) enforce PeerAuthentication and AuthorizationPolicy; outbound ones
    /// (the application's own calls leaving the pod) do not.
    public var direction: Direction
    /// The workload port this listener stands for (`portLevelMtls` keys, AuthorizationPolicy `ports`,
    /// `destination.port`); the port it binds to when unset.
    public var targetPort: Int?
    /// Bytes-per-second limits of a TCP listener (per connection and listener-wide, each direction).
    public var bandwidth: BandwidthLimit?
    /// Set on listeners made from Gateway servers: only VirtualServices bound to those Gateways route here,
    /// and PeerAuthentication does not apply (the gateway's own TLS settings do).
    public var gateway: GatewayBinding?
    /// Set on TCP listeners made from Gateway PASSTHROUGH servers: each connection goes where the SNI of its
    /// ClientHello routes it, still encrypted (instead of to `defaultCluster`).
    public var sniRoutes: SNIRouteTable?

    /// Which way traffic on a listener flows.
    public enum Direction: String, Sendable {
        case inbound
        case outbound
    }

    public init(
        name: String, address: HostPort, protocol: ListenerProtocol, tls: ServerTLSConfig? = nil,
        defaultCluster: String? = nil, direction: Direction = .inbound, targetPort: Int? = nil
    ) {
        self.direction = direction
        self.targetPort = targetPort
        self.name = name
        self.address = address
        self.protocol = `protocol`
        self.tls = tls
        self.defaultCluster = defaultCluster
    }
}

/// TLS termination settings of a listener.
public struct ServerTLSConfig: Sendable, Equatable {
    /// PEM certificate chain file.
    public var certificateFile: String
    /// PEM private key file.
    public var keyFile: String
    /// When set, clients must present a certificate that chains to this CA (mutual TLS).
    public var clientCAFile: String?
    /// When non-empty, the client certificate must carry one of these URI SANs (SPIFFE identities).
    public var allowedClientSANs: [String]

    public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil, allowedClientSANs: [String] = []) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.allowedClientSANs = allowedClientSANs
    }
}

/// TLS origination settings toward a cluster (Istio `DestinationRule.trafficPolicy.tls`).
public struct UpstreamTLSConfig: Sendable {
    /// CA file that the upstream certificate must chain to; system roots when `nil`.
    public var caFile: String?
    /// Client certificate chain for mutual TLS.
    public var certificateFile: String?
    /// Client private key for mutual TLS.
    public var keyFile: String?
    /// SNI to send; also the DNS name checked when `subjectAltNames` is empty.
    public var sni: String?
    /// SANs (DNS names or URIs such as `spiffe://cluster.local/ns/default/sa/reviews`) of which the upstream
    /// certificate must carry one.
    public var subjectAltNames: [String]

    public init(
        caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, sni: String? = nil,
        subjectAltNames: [String] = []
    ) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.sni = sni
        self.subjectAltNames = subjectAltNames
    }
}

extension ProxyConfig {
    /// Every certificate, key and CA file the config reads (listener TLS, the workload identity, upstream TLS):
    /// a change to one of them reloads the proxy like a change to its config files.
    public var referencedFiles: [String] {
        var files: [String] = []
        for tls in listeners.compactMap(\.tls) {
            files += [tls.certificateFile, tls.keyFile] + (tls.clientCAFile.map { [$0] } ?? [])
        }
        for tls in [security.identity].compactMap({ $0 }) + clusters.values.compactMap(\.tls) {
            files += [tls.certificateFile, tls.keyFile, tls.caFile].compactMap { $0 }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }
}

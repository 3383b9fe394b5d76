/// A local (in-process) rate limit on HTTP requests: Envoy's `envoy.filters.http.local_ratelimit` token bucket,
/// from an Istio EnvoyFilter of that shape or from the bootstrap's `rateLimits`.
public struct LocalRateLimitConfig: Sendable {
    /// Names the stats (`<statPrefix>.http_local_rate_limit.rate_limited`).
    public var statPrefix: String
    /// The bucket: up to `maxTokens`, refilled by `tokensPerFill` every `fillInterval`.
    public var maxTokens: Int
    public var tokensPerFill: Int
    public var fillInterval: Duration
    /// Which listeners it applies to.
    public var scope: Scope = .inbound
    /// Only requests matched by the VirtualService HTTP route of this name, when set.
    public var route: String?
    /// One bucket per value of this request header, when set (requests without it share one bucket).
    public var perHeader: String?
    /// Share of requests checked, and share of over-limit requests refused (the rest pass), in percent.
    public var enabledPercent: Double = 100
    public var enforcedPercent: Double = 100
    /// Headers added to 429 answers.
    public var responseHeaders: [(String, String)] = []
    /// Whether answers carry `x-ratelimit-limit`, `-remaining` and `-reset` (Envoy's DRAFT_VERSION_03).
    public var rateLimitHeaders: Bool = false
    /// The route's `rate_limits` (each a list of actions) and the per-filter config's `descriptors`: a request
    /// producing a configured descriptor takes from its bucket instead of the default one.
    public var rateLimitActions: [[RequestHeadersAction]] = []
    public var descriptors: [RateLimitDescriptor] = []

    /// Listeners a limit applies to (an EnvoyFilter patch's `context`).
    public enum Scope: Sendable, Equatable {
        /// Inbound sidecar listeners (SIDECAR_INBOUND).
        case inbound
        /// The inbound sidecar listener of this workload port (an HTTP_ROUTE patch on vhost `inbound|http|<port>`).
        case inboundPort(Int)
        /// Outbound sidecar listeners (SIDECAR_OUTBOUND).
        case outbound
        /// Listeners made from Gateway servers (GATEWAY).
        case gateway
        /// Every listener (ANY).
        case any
        /// The listeners of these names.
        case listeners([String])

        func includes(_ listener: ListenerConfig) -> Bool {
            switch self {
            case .inbound: listener.gateway == nil && listener.direction == .inbound
            case .inboundPort(let port):
                listener.gateway == nil && listener.direction == .inbound && (listener.targetPort ?? listener.address.port) == port
            case .outbound: listener.gateway == nil && listener.direction == .outbound
            case .gateway: listener.gateway != nil
            case .any: true
            case .listeners(let names): names.contains(listener.name)
            }
        }
    }

    public init(statPrefix: String, maxTokens: Int, tokensPerFill: Int, fillInterval: Duration) {
        self.statPrefix = statPrefix
        self.maxTokens = maxTokens
        self.tokensPerFill = tokensPerFill
        self.fillInterval = fillInterval
    }
}

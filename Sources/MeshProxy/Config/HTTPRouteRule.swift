/// One Istio `HTTPRoute`: conditions and what happens to a matching request.
public struct HTTPRouteRule: Sendable {
    /// The route's name, for stats.
    public var name: String
    /// Any one must match; empty matches every request.
    public var matches: [RequestMatch]
    /// Forward, redirect or answer directly.
    public var action: Action
    /// URI/authority rewrite applied before forwarding.
    public var rewrite: Rewrite?
    /// Whole-request timeout (Istio: disabled by default).
    public var timeout: Duration?
    /// Retry policy (Istio's default: 2 attempts on connect-failure, refused-stream, unavailable,
    /// cancelled, retriable-status-codes).
    public var retries: RetryPolicy
    /// Fault injection.
    public var fault: FaultInjection?
    /// Headers set on the request to the upstream.
    public var requestHeadersToSet: [(String, String)]
    /// Headers removed from the request to the upstream.
    public var requestHeadersToRemove: [String]
    /// Headers set on the response.
    public var responseHeadersToSet: [(String, String)]

    public init(
        name: String = "", matches: [RequestMatch] = [], action: Action, rewrite: Rewrite? = nil,
        timeout: Duration? = nil, retries: RetryPolicy = .istioDefault, fault: FaultInjection? = nil,
        requestHeadersToSet: [(String, String)] = [], requestHeadersToRemove: [String] = [],
        responseHeadersToSet: [(String, String)] = []
    ) {
        self.name = name
        self.matches = matches
        self.action = action
        self.rewrite = rewrite
        self.timeout = timeout
        self.retries = retries
        self.fault = fault
        self.requestHeadersToSet = requestHeadersToSet
        self.requestHeadersToRemove = requestHeadersToRemove
        self.responseHeadersToSet = responseHeadersToSet
    }

    /// What happens to a matching request.
    public enum Action: Sendable {
        /// Forward to one of these clusters, chosen by weight.
        case route([WeightedCluster])
        /// Answer with a redirect.
        case redirect(Redirect)
        /// Answer with a fixed status and body.
        case directResponse(status: Int, body: String)
    }

    /// A destination with its share of traffic.
    public struct WeightedCluster: Sendable {
        /// The cluster name (`host` or `host|subset`).
        public var cluster: String
        /// Relative weight; weights of a route need not sum to 100.
        public var weight: Int

        public init(cluster: String, weight: Int) {
            self.cluster = cluster
            self.weight = weight
        }
    }

    /// Istio `HTTPRewrite`.
    public struct Rewrite: Sendable {
        /// Replaces the matched prefix (or the whole path for exact/regex matches).
        public var uri: String?
        /// Replaces the Host/authority.
        public var authority: String?

        public init(uri: String? = nil, authority: String? = nil) {
            self.uri = uri
            self.authority = authority
        }
    }

    /// Istio `HTTPRedirect`.
    public struct Redirect: Sendable {
        public var uri: String?
        public var authority: String?
        public var scheme: String?
        public var port: Int?
        /// 301 by default.
        public var status: Int

        public init(uri: String? = nil, authority: String? = nil, scheme: String? = nil, port: Int? = nil, status: Int = 301) {
            self.uri = uri
            self.authority = authority
            self.scheme = scheme
            self.port = port
            self.status = status
        }
    }
}

/// Istio `HTTPMatchRequest`: every condition given must hold.
public struct RequestMatch: Sendable {
    public var uri: StringMatch?
    public var method: StringMatch?
    public var authority: StringMatch?
    public var scheme: StringMatch?
    /// Header conditions (names lowercased).
    public var headers: [(String, StringMatch)]
    /// Headers that must be absent or must not match.
    public var withoutHeaders: [(String, StringMatch)]
    /// Query parameter conditions.
    public var queryParams: [(String, StringMatch)]
    /// The listener port the request arrived on.
    public var port: Int?
    /// Whether uri matching ignores case.
    public var ignoreUriCase: Bool

    public init(
        uri: StringMatch? = nil, method: StringMatch? = nil, authority: StringMatch? = nil, scheme: StringMatch? = nil,
        headers: [(String, StringMatch)] = [], withoutHeaders: [(String, StringMatch)] = [],
        queryParams: [(String, StringMatch)] = [], port: Int? = nil, ignoreUriCase: Bool = false
    ) {
        self.uri = uri
        self.method = method
        self.authority = authority
        self.scheme = scheme
        self.headers = headers
        self.withoutHeaders = withoutHeaders
        self.queryParams = queryParams
        self.port = port
        self.ignoreUriCase = ignoreUriCase
    }
}

/// Istio `HTTPRetry`.
public struct RetryPolicy: Sendable {
    /// Retries after the first try (0 disables).
    public var attempts: Int
    /// Timeout of each try.
    public var perTryTimeout: Duration?
    /// The conditions that allow a retry.
    public var retryOn: RetryOn
    /// Status codes retried under `retriable-status-codes` (503 unless the policy lists codes).
    public var retriableStatusCodes: [Int]

    public init(attempts: Int, perTryTimeout: Duration? = nil, retryOn: RetryOn, retriableStatusCodes: [Int] = [503]) {
        self.attempts = attempts
        self.perTryTimeout = perTryTimeout
        self.retryOn = retryOn
        self.retriableStatusCodes = retriableStatusCodes
    }

    /// Whether a response with `status` may be retried under this policy.
    func retries(status: Int) -> Bool {
        if retryOn.contains(.fiveXX), status >= 500 { return true }
        if retryOn.contains(.gatewayError), status == 502 || status == 503 || status == 504 { return true }
        if retryOn.contains(.retriable4xx), status == 409 { return true }
        if retryOn.contains(.retriableStatusCodes), retriableStatusCodes.contains(status) { return true }
        return false
    }

    /// Whether a connection failure or reset before the response head may be retried.
    func retriesReset(connectFailure: Bool) -> Bool {
        if retryOn.contains(.fiveXX) || retryOn.contains(.gatewayError) { return true }
        if retryOn.contains(.reset) || retryOn.contains(.refusedStream) { return true }
        return connectFailure && retryOn.contains(.connectFailure)
    }

    /// Istio's default when a route sets none: 2 retries on connect-failure, refused-stream, unavailable,
    /// cancelled and retriable-status-codes (503).
    public static let istioDefault = RetryPolicy(
        attempts: 2, retryOn: [.connectFailure, .refusedStream, .retriableStatusCodes])

    /// No retries.
    public static let none = RetryPolicy(attempts: 0, retryOn: [])
}

/// Envoy `retry_on` conditions (x-envoy-retry-on values) as a set.
public struct RetryOn: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Any 5xx response, a connect failure, a reset, or no response within the per-try timeout.
    public static let fiveXX = RetryOn(rawValue: 1 << 0)
    /// 502, 503, 504 responses (and connect failures).
    public static let gatewayError = RetryOn(rawValue: 1 << 1)
    /// Failure to connect to the upstream.
    public static let connectFailure = RetryOn(rawValue: 1 << 2)
    /// The upstream reset (closed) the connection before answering.
    public static let reset = RetryOn(rawValue: 1 << 3)
    /// HTTP/2 REFUSED_STREAM (treated as a reset before any response over HTTP/1.1).
    public static let refusedStream = RetryOn(rawValue: 1 << 4)
    /// Status codes listed in `retriableStatusCodes` (503 by default).
    public static let retriableStatusCodes = RetryOn(rawValue: 1 << 5)
    /// Any 4xx response.
    public static let retriable4xx = RetryOn(rawValue: 1 << 6)
    /// gRPC `unavailable` / `cancelled` / … (matched on grpc-status).
    public static let grpcUnavailable = RetryOn(rawValue: 1 << 7)
    public static let grpcCancelled = RetryOn(rawValue: 1 << 8)
    public static let grpcDeadlineExceeded = RetryOn(rawValue: 1 << 9)
    public static let grpcResourceExhausted = RetryOn(rawValue: 1 << 10)

    /// Parses Istio's comma-separated `retryOn`; bare numbers are retriable status codes.
    public static func parse(_ text: String) -> (RetryOn, [Int], unknown: [String]) {
        var result: RetryOn = []
        var codes: [Int] = []
        var unknown: [String] = []
        for item in text.split(separator: ",") {
            let word = String(item.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            switch word {
            case "5xx": result.insert(.fiveXX)
            case "gateway-error": result.insert(.gatewayError)
            case "connect-failure": result.insert(.connectFailure)
            case "reset", "reset-before-request": result.insert(.reset)
            case "refused-stream": result.insert(.refusedStream)
            case "retriable-status-codes": result.insert(.retriableStatusCodes)
            case "retriable-4xx": result.insert(.retriable4xx)
            case "unavailable": result.insert(.grpcUnavailable)
            case "cancelled": result.insert(.grpcCancelled)
            case "deadline-exceeded": result.insert(.grpcDeadlineExceeded)
            case "resource-exhausted": result.insert(.grpcResourceExhausted)
            case "envoy-ratelimited", "retriable-headers", "http3-post-connect-failure": break
            default:
                if let code = Int(word), (100...599).contains(code) {
                    codes.append(code)
                    result.insert(.retriableStatusCodes)
                } else {
                    unknown.append(word)
                }
            }
        }
        return (result, codes, unknown)
    }
}

/// Istio `HTTPFaultInjection`.
public struct FaultInjection: Sendable {
    /// Delay before forwarding, applied to this percentage of requests.
    public var delay: (duration: Duration, percent: Double)?
    /// Abort with this status, applied to this percentage of requests.
    public var abort: (status: Int, percent: Double)?

    public init(delay: (duration: Duration, percent: Double)? = nil, abort: (status: Int, percent: Double)? = nil) {
        self.delay = delay
        self.abort = abort
    }
}

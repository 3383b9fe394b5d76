/// `HTTPRoute.redirect`: answer with a redirect instead of forwarding.
public struct HTTPRedirect: Codable, Sendable, Hashable {
    public var uri: String?
    public var authority: String?
    public var port: Int?
    /// `FROM_PROTOCOL_DEFAULT` or `FROM_REQUEST_PORT`.
    public var derivePort: String?
    public var scheme: String?
    /// The 3xx status (301 when unset).
    public var redirectCode: Int?
    public var prefixRewrite: String?

    public init(uri: String? = nil, authority: String? = nil, redirectCode: Int? = nil) {
        self.uri = uri
        self.authority = authority
        self.redirectCode = redirectCode
    }
}

/// `HTTPRoute.directResponse`: answer with a fixed status and body.
public struct HTTPDirectResponse: Codable, Sendable, Hashable {
    public var status: Int?
    public var body: HTTPBody?

    public init(status: Int? = nil, body: HTTPBody? = nil) {
        self.status = status
        self.body = body
    }
}

/// The body of a direct response: text, or base64 bytes.
public struct HTTPBody: Codable, Sendable, Hashable {
    public var string: String?
    public var bytes: String?

    public init(string: String? = nil) { self.string = string }
}

/// `HTTPRoute.rewrite`: the URI and authority forwarded instead of the request's.
public struct HTTPRewrite: Codable, Sendable, Hashable {
    public var uri: String?
    public var authority: String?
    public var uriRegexRewrite: RegexRewrite?

    public init(uri: String? = nil, authority: String? = nil) {
        self.uri = uri
        self.authority = authority
    }
}

/// A regular-expression rewrite of the path.
public struct RegexRewrite: Codable, Sendable, Hashable {
    public var match: String?
    public var rewrite: String?
}

/// `HTTPRoute.retries`: how often and on what a failed request is tried again.
public struct HTTPRetry: Codable, Sendable, Hashable {
    public var attempts: Int?
    public var perTryTimeout: String?
    /// Envoy retry conditions and status codes, comma-separated (`gateway-error,503`).
    public var retryOn: String?
    public var retryRemoteLocalities: Bool?
    public var retryIgnorePreviousHosts: Bool?
    public var backoff: String?

    public init(attempts: Int? = nil, perTryTimeout: String? = nil, retryOn: String? = nil) {
        self.attempts = attempts
        self.perTryTimeout = perTryTimeout
        self.retryOn = retryOn
    }
}

/// `HTTPRoute.fault`: delays and aborts injected into a share of requests.
public struct HTTPFaultInjection: Codable, Sendable, Hashable {
    public var delay: Delay?
    public var abort: Abort?

    /// A delay before forwarding.
    public struct Delay: Codable, Sendable, Hashable {
        public var fixedDelay: String?
        public var exponentialDelay: String?
        public var percentage: Percent?
        /// Deprecated integer share; `percentage` wins.
        public var percent: Int?
    }

    /// An error answered instead of forwarding.
    public struct Abort: Codable, Sendable, Hashable {
        public var httpStatus: Int?
        public var grpcStatus: String?
        public var http2Error: String?
        public var percentage: Percent?
    }

    public init(delay: Delay? = nil, abort: Abort? = nil) {
        self.delay = delay
        self.abort = abort
    }
}

/// A share of requests, 0 to 100.
public struct Percent: Codable, Sendable, Hashable {
    public var value: Double?

    public init(value: Double? = nil) { self.value = value }
}

/// Header manipulation of a route or destination: on the request forwarded and the response returned.
public struct RouteHeaders: Codable, Sendable, Hashable {
    public var request: Operations?
    public var response: Operations?

    /// Headers set (replacing), added and removed.
    public struct Operations: Codable, Sendable, Hashable {
        public var set: [String: String]?
        public var add: [String: String]?
        public var remove: [String]?
    }
}

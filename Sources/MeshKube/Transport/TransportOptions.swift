import MeshCore

/// Everything about a connection that does not change between requests of one command.
public struct TransportOptions: Sendable {
    /// Server authentication and the client certificate.
    public var tls: TLSSettings
    /// An explicit proxy (`http://`, `https://`, `socks5://`); `nil` follows the `*_proxy` environment.
    public var proxyURL: String?
    /// The limit for one request from connect to last byte; `nil` waits as long as it takes.
    /// Watches ignore it (they only bound the connect).
    public var requestTimeout: Duration?
    /// The limit for establishing a connection.
    public var connectTimeout: Duration
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Repeating idempotent requests on 429 and 503.
    public var retry: RetryPolicy

    /// Makes options; the defaults verify TLS, send `meshctl/<version>` and retry three times.
    public init(
        tls: TLSSettings = TLSSettings(), proxyURL: String? = nil, requestTimeout: Duration? = nil,
        connectTimeout: Duration = .seconds(30), userAgent: String = TransportOptions.defaultUserAgent,
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.tls = tls
        self.proxyURL = proxyURL
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
        self.retry = retry
    }

    /// `meshctl/<version>`.
    public static var defaultUserAgent: String { "meshctl/\(BuildInfo.current.version)" }
}

import MeshPolicy

/// An Istio MeshConfig `extensionProviders` entry of kind `envoyExtAuthzHttp` or `envoyExtAuthzGrpc`: the
/// external authorizer that CUSTOM AuthorizationPolicies naming it send matching requests to.
public struct ExtAuthzProvider: Sendable {
    /// How the proxy asks: Envoy's HTTP authorization service, or `envoy.service.auth.v3.Authorization/Check`
    /// over HTTP/2 (h2c).
    public enum API: String, Sendable {
        case http = "envoyExtAuthzHttp"
        case grpc = "envoyExtAuthzGrpc"
    }

    /// `includeRequestBodyInCheck`: the request body is buffered (up to `maxRequestBytes`) and sent along.
    public struct RequestBody: Sendable, Equatable {
        public var maxRequestBytes: Int
        /// Send the first `maxRequestBytes` of a longer body instead of answering 413.
        public var allowPartialMessage = false
        /// gRPC: the body goes in `raw_body` (bytes) instead of `body` (UTF-8).
        public var packAsBytes = false
    }

    public var name: String
    public var api: API
    /// `[<Namespace>/]<Hostname>` as written: a ServiceEntry host or static cluster, else a host name or IP.
    public var service: String
    public var port: Int
    /// Where checks go: the endpoints of the cluster `service` names, or `service:port` itself.
    public var endpoints: [HostPort] = []
    /// How long the proxy waits for an answer (Istio's default: 600s).
    public var timeout: Duration = .seconds(600)
    /// Allow the request when the authorizer can't be reached, times out, or answers 5xx.
    public var failOpen = false
    /// The status sent downstream when the check fails and `failOpen` is off.
    public var statusOnError = 403
    public var requestBody: RequestBody?
    /// HTTP: the prefix put before the request's path in the check request.
    public var pathPrefix = ""
    /// HTTP: the client request headers copied into the check (besides Host, Method, Path, Content-Length and
    /// Authorization, which always go).
    public var includeRequestHeaders: [StringPattern] = []
    /// HTTP: fixed headers added to the check, sorted by name (they override client headers of the same name).
    public var additionalHeaders: [(String, String)] = []
    /// HTTP: the authorizer's response headers set on the upstream request when it allows.
    public var headersToUpstreamOnAllow: [StringPattern] = []
    /// HTTP: the authorizer's response headers sent downstream when it denies (empty: all but Host).
    public var headersToDownstreamOnDeny: [StringPattern] = []
    /// HTTP: the authorizer's response headers added to the downstream response when it allows.
    public var headersToDownstreamOnAllow: [StringPattern] = []

    public init(name: String, api: API, service: String, port: Int) {
        self.name = name
        self.api = api
        self.service = service
        self.port = port
    }
}

/// How the proxy fetches the JWKS of RequestAuthentication rules that give a `jwksUri` (ProxyBootstrap
/// `spec.jwksFetch`): Envoy's remote_jwks `cache_duration` and retry policy, the staleness bound after which
/// keys whose refresh keeps failing are dropped, and the CA that HTTPS servers are verified against.
public struct JWKSFetchConfig: Sendable, Equatable {
    /// How long fetched keys are used before they are fetched again (Envoy's default cache_duration, 10 min).
    public var refreshInterval: Duration = .seconds(600)
    /// While refreshes fail the last good keys stay in use until they are this old (since their fetch), then
    /// tokens of that issuer get 401 until a fetch succeeds. Not shorter than `refreshInterval`.
    public var maxStaleness: Duration = .seconds(3600)
    /// The first retry after a failed fetch; each further failure doubles it, up to `retryMax` (and never
    /// beyond `refreshInterval`).
    public var retryBase: Duration = .seconds(1)
    public var retryMax: Duration = .seconds(60)
    /// PEM file of the CAs HTTPS JWKS servers are verified against; `nil`: the system's trust roots.
    public var caFile: String?

    public init() {}
}

import MeshPolicy

/// The security side of a proxy's config: the workload it stands for (what policy selectors see), its
/// mesh identity, and the PeerAuthentication, RequestAuthentication and AuthorizationPolicy resources that
/// apply to its inbound listeners.
public struct SecurityConfig: Sendable {
    /// Namespace and labels of the workload (ProxyBootstrap `spec.workload`); `default` and no labels unless set.
    public var workload: Workload
    /// The mesh root namespace: its policies without a selector apply mesh-wide.
    public var rootNamespace: String
    /// The workload's certificate, key and mesh CA (ProxyBootstrap `spec.identity`): served by inbound mTLS
    /// and presented by `ISTIO_MUTUAL` origination.
    public var identity: UpstreamTLSConfig?
    /// PeerAuthentication resources, as given.
    public var peerAuthentications: [Resource<PeerAuthenticationSpec>]
    /// AuthorizationPolicy resources, compiled.
    public var authorizationPolicies: [CompiledPolicy]
    /// RequestAuthentication resources, as given.
    public var requestAuthentications: [Resource<RequestAuthenticationSpec>] = []
    /// Their rules that apply to the workload, inline JWKS parsed: made once when the config is loaded and
    /// checked, and used as they are by the running proxy.
    var jwtRules: [RequestAuthenticator.Rule] = []
    /// How the JWKS of rules with a `jwksUri` are fetched (ProxyBootstrap `spec.jwksFetch`).
    public var jwksFetch = JWKSFetchConfig()
    /// The external authorizers CUSTOM policies may name, by name (ProxyBootstrap
    /// `spec.meshConfig.extensionProviders`).
    public var extensionProviders: [String: ExtAuthzProvider] = [:]

    public init(
        workload: Workload = Workload(namespace: "default"), rootNamespace: String = "istio-system",
        identity: UpstreamTLSConfig? = nil, peerAuthentications: [Resource<PeerAuthenticationSpec>] = [],
        authorizationPolicies: [CompiledPolicy] = []
    ) {
        self.workload = workload
        self.rootNamespace = rootNamespace
        self.identity = identity
        self.peerAuthentications = peerAuthentications
        self.authorizationPolicies = authorizationPolicies
    }

    /// The effective mTLS mode of an inbound listener on workload port `port`. With no PeerAuthentication and
    /// no identity CA this is DISABLE (a plain proxy, as before); with an identity and its CA it is Istio's
    /// default, PERMISSIVE.
    public func mtlsMode(port: Int?) -> PeerAuthenticationResolver.Resolution {
        let resolver = PeerAuthenticationResolver(policies: peerAuthentications, rootNamespace: rootNamespace)
        if resolver.isEmpty && identity?.caFile == nil { return .init(mode: .disable, policy: nil) }
        return resolver.resolve(for: workload, port: port)
    }
}

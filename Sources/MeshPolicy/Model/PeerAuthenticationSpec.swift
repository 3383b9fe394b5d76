/// `PeerAuthentication.spec`: whether workloads accept plain text, mutual TLS or both.
public struct PeerAuthenticationSpec: Codable, Sendable, Equatable {
    public var selector: WorkloadSelector?
    public var mtls: MutualTLS?
    /// Per-port modes, keyed by port number.
    public var portLevelMtls: [String: MutualTLS]?

    public init(selector: WorkloadSelector? = nil, mtls: MutualTLS? = nil) {
        self.selector = selector
        self.mtls = mtls
    }
}

/// `mtls: {mode: …}`: `UNSET`, `DISABLE`, `PERMISSIVE` or `STRICT`.
public struct MutualTLS: Codable, Sendable, Hashable {
    public var mode: String?

    public init(mode: String? = nil) {
        self.mode = mode
    }
}

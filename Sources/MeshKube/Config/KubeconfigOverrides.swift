/// What the command line overrides in the kubeconfig: `--context`, `--cluster`, `--user`, `-n`, `--as`, ….
public struct KubeconfigOverrides: Sendable, Equatable {
    /// `--context`.
    public var context: String?
    /// `--cluster`.
    public var cluster: String?
    /// `--user`.
    public var user: String?
    /// `-n/--namespace`.
    public var namespace: String?
    /// `--as`.
    public var impersonate: String?
    /// `--as-group` (repeatable).
    public var impersonateGroups: [String]
    /// `--as-uid`.
    public var impersonateUID: String?
    /// `--request-timeout`.
    public var requestTimeout: Duration?

    /// Makes overrides; all empty by default.
    public init(
        context: String? = nil, cluster: String? = nil, user: String? = nil, namespace: String? = nil,
        impersonate: String? = nil, impersonateGroups: [String] = [], impersonateUID: String? = nil,
        requestTimeout: Duration? = nil
    ) {
        self.context = context
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
        self.impersonate = impersonate
        self.impersonateGroups = impersonateGroups
        self.impersonateUID = impersonateUID
        self.requestTimeout = requestTimeout
    }
}

/// A kubeconfig: the named clusters, users and contexts of one file, or of several merged as kubectl does.
public struct Kubeconfig: Sendable, Equatable {
    /// Clusters by name.
    public var clusters: [String: KubeconfigCluster]
    /// Users by name.
    public var users: [String: KubeconfigUser]
    /// Contexts by name.
    public var contexts: [String: KubeconfigContext]
    /// `current-context`, if any file set it.
    public var currentContext: String?
    /// The file that set `current-context`.
    public var currentContextOrigin: String?
    /// The files merged into this configuration, in precedence order.
    public var files: [String]

    /// Makes a configuration.
    public init(
        clusters: [String: KubeconfigCluster] = [:], users: [String: KubeconfigUser] = [:],
        contexts: [String: KubeconfigContext] = [:], currentContext: String? = nil, currentContextOrigin: String? = nil,
        files: [String] = []
    ) {
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
        self.currentContextOrigin = currentContextOrigin
        self.files = files
    }

    /// Merges configurations in precedence order with kubectl's rules: for every cluster, user and context name
    /// the first file that defines it wins (entries are never combined), and `current-context` comes from the
    /// first file that sets it.
    public static func merging(_ configs: [Kubeconfig]) -> Kubeconfig {
        var merged = Kubeconfig()
        for config in configs {
            merged.clusters.merge(config.clusters) { first, _ in first }
            merged.users.merge(config.users) { first, _ in first }
            merged.contexts.merge(config.contexts) { first, _ in first }
            if merged.currentContext == nil, let current = config.currentContext, !current.isEmpty {
                merged.currentContext = current
                merged.currentContextOrigin = config.currentContextOrigin
            }
            merged.files += config.files
        }
        return merged
    }

    /// The context names, sorted (as `kubectl config get-contexts` lists them).
    public var contextNames: [String] { contexts.keys.sorted() }
}

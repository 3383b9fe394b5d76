/// A `contexts[].context` entry: which cluster, which user, which default namespace.
public struct KubeconfigContext: Sendable, Equatable {
    /// The cluster's name.
    public var cluster: String
    /// The user's name (`user`).
    public var user: String
    /// The namespace commands use when `-n` is not given.
    public var namespace: String?
    /// The kubeconfig file the entry came from.
    public var origin: String

    /// Makes a context entry.
    public init(cluster: String = "", user: String = "", namespace: String? = nil, origin: String = "") {
        self.cluster = cluster
        self.user = user
        self.namespace = namespace
        self.origin = origin
    }
}

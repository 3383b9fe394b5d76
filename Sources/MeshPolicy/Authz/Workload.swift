/// The workload a request is addressed to: its namespace and pod labels (what policy selectors see).
public struct Workload: Sendable, Hashable {
    public var namespace: String
    public var labels: [String: String]
    /// A display name (pod name), if known.
    public var name: String?

    public init(namespace: String, labels: [String: String] = [:], name: String? = nil) {
        self.namespace = namespace
        self.labels = labels
        self.name = name
    }
}

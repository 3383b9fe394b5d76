/// The parts of Kubernetes object metadata that policy logic reads; the rest of `metadata` is kept by the
/// resource's raw value.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?

    public init(name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil, annotations: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }
}

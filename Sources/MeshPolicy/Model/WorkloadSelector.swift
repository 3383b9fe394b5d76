/// `selector: {matchLabels: …}` of the security resources: the workloads a policy applies to.
public struct WorkloadSelector: Codable, Sendable, Hashable {
    public var matchLabels: [String: String]?

    public init(matchLabels: [String: String]? = nil) {
        self.matchLabels = matchLabels
    }

    /// Whether a workload with `labels` is selected: every selector label must be present with the same value.
    public func matches(_ labels: [String: String]) -> Bool {
        (matchLabels ?? [:]).allSatisfy { labels[$0.key] == $0.value }
    }
}

/// `workloadSelector: {labels: …}` of the networking resources (Sidecar, ServiceEntry).
public struct NetworkingWorkloadSelector: Codable, Sendable, Hashable {
    public var labels: [String: String]?

    public init(labels: [String: String]? = nil) {
        self.labels = labels
    }
}

/// `targetRef`/`targetRefs`: a policy attached to a Service, ServiceEntry or Gateway instead of selected workloads.
public struct PolicyTargetReference: Codable, Sendable, Hashable {
    public var group: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?

    public init(group: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil) {
        self.group = group
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }
}

import MeshCore

/// `DestinationRule.spec`: policies for traffic to a host after routing, and its named subsets.
public struct DestinationRuleSpec: Codable, Sendable, Equatable {
    public var host: String?
    /// Load balancing, connection pool, outlier detection and TLS.
    public var trafficPolicy: TrafficPolicy?
    public var subsets: [Subset]?
    public var exportTo: [String]?
    public var workloadSelector: WorkloadSelector?

    public init(host: String? = nil, subsets: [Subset]? = nil) {
        self.host = host
        self.subsets = subsets
    }
}

/// A named group of a service's endpoints, chosen by labels.
public struct Subset: Codable, Sendable, Hashable {
    public var name: String?
    public var labels: [String: String]?
    public var trafficPolicy: TrafficPolicy?

    public init(name: String? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.labels = labels
    }
}

import MeshPolicy

/// A workload's node metadata as Istio proxies exchange it (the `google.protobuf.Struct` in
/// `x-envoy-peer-metadata`): who the peer is, for the `source_*`/`destination_*` labels of Istio's metrics.
/// Keys are Istio's node metadata names; others are ignored.
struct PeerMetadata: Sendable, Equatable {
    /// `NAME`: the instance (pod) name.
    var instanceName: String?
    /// `NAMESPACE`.
    var namespace: String?
    /// `WORKLOAD_NAME`: the workload (deployment) name.
    var workloadName: String?
    /// `LABELS`: the pod's labels, with Istio's canonical service labels.
    var labels: [String: String] = [:]
    /// `CLUSTER_ID`.
    var clusterID: String?
    /// `MESH_ID`.
    var meshID: String?
    /// `SERVICE_ACCOUNT`.
    var serviceAccount: String?

    static let canonicalNameLabel = "service.istio.io/canonical-name"
    static let canonicalRevisionLabel = "service.istio.io/canonical-revision"

    var app: String? { labels["app"] ?? labels["app.kubernetes.io/name"] }
    var version: String? { labels["version"] ?? labels["app.kubernetes.io/version"] }
    var canonicalService: String? { labels[Self.canonicalNameLabel] }
    var canonicalRevision: String? { labels[Self.canonicalRevisionLabel] }

    init(
        instanceName: String? = nil, namespace: String? = nil, workloadName: String? = nil, labels: [String: String] = [:],
        clusterID: String? = nil, meshID: String? = nil, serviceAccount: String? = nil
    ) {
        self.instanceName = instanceName
        self.namespace = namespace
        self.workloadName = workloadName
        self.labels = labels
        self.clusterID = clusterID
        self.meshID = meshID
        self.serviceAccount = serviceAccount
    }

    /// The proxy's own metadata: the bootstrap's workload, with the canonical service labels Istio's injector
    /// adds when a pod has none (name: `app.kubernetes.io/name`, `app`, the workload name; revision:
    /// `app.kubernetes.io/version`, `version`, `latest`).
    init(own workload: Workload, node: NodeMetadata, trustDomain: String) {
        let name = workload.name ?? workload.labels["app"]
        var labels = workload.labels
        labels[Self.canonicalNameLabel] = labels[Self.canonicalNameLabel] ?? labels["app.kubernetes.io/name"] ?? labels["app"] ?? name
        labels[Self.canonicalRevisionLabel] = labels[Self.canonicalRevisionLabel] ?? labels["app.kubernetes.io/version"]
            ?? labels["version"] ?? "latest"
        self.init(
            instanceName: node.instanceName ?? name, namespace: workload.namespace, workloadName: name, labels: labels,
            clusterID: node.clusterID, meshID: node.meshID ?? trustDomain, serviceAccount: node.serviceAccount)
    }

    private static var stringKeys: [(String, WritableKeyPath<PeerMetadata, String?>)] {
        [
            ("NAME", \.instanceName), ("NAMESPACE", \.namespace), ("WORKLOAD_NAME", \.workloadName),
            ("CLUSTER_ID", \.clusterID), ("MESH_ID", \.meshID), ("SERVICE_ACCOUNT", \.serviceAccount),
        ]
    }

    /// Reads the metadata from a Struct; fields of another kind than expected are ignored.
    init(fields: [String: ProtobufValue]) {
        for (key, path) in Self.stringKeys { self[keyPath: path] = fields[key]?.stringValue }
        if case .structure(let labels)? = fields["LABELS"] {
            self.labels = labels.compactMapValues(\.stringValue)
        }
    }

    /// The metadata as a Struct (unset fields left out).
    var fields: [String: ProtobufValue] {
        var fields: [String: ProtobufValue] = [:]
        for (key, path) in Self.stringKeys {
            if let value = self[keyPath: path] { fields[key] = .string(value) }
        }
        if !labels.isEmpty { fields["LABELS"] = .structure(labels.mapValues(ProtobufValue.string)) }
        return fields
    }
}

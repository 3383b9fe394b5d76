/// What the proxy tells its peers about its workload besides the namespace, name and labels of
/// `SecurityConfig.workload` (ProxyBootstrap `spec.workload`): the rest of Istio's node metadata.
public struct NodeMetadata: Sendable, Equatable {
    /// The instance (pod) name, Istio's `NAME` (`workload.instance`); the workload name when unset.
    public var instanceName: String?
    /// The workload's service account, Istio's `SERVICE_ACCOUNT` (`workload.serviceAccount`).
    public var serviceAccount: String?
    /// The cluster the workload runs in, Istio's `CLUSTER_ID` (`workload.cluster`; Istio's default `Kubernetes`).
    public var clusterID = "Kubernetes"
    /// The mesh, Istio's `MESH_ID` (`workload.mesh`); the trust domain when unset, as in Istio.
    public var meshID: String?

    public init() {}
}

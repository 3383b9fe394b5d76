import MeshCore

/// Everything the analyzers look at: the Istio resources, and the Kubernetes facts they refer to (pods,
/// services, secrets) — each of those `nil` when unknown, so a check that needs them is skipped rather than
/// reporting everything as missing.
public struct MeshSnapshot: Sendable {
    /// A Kubernetes Service: where it lives and the pods it selects.
    public struct Service: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var selector: [String: String]

        public init(namespace: String, name: String, selector: [String: String] = [:]) {
            self.namespace = namespace
            self.name = name
            self.selector = selector
        }

        /// `reviews.shop.svc.cluster.local`.
        public var hostname: String { "\(name).\(namespace).svc.cluster.local" }
    }

    /// A secret's place (`namespace/name`); contents are not needed.
    public struct SecretName: Sendable, Hashable {
        public var namespace: String
        public var name: String

        public init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }
    }

    /// The resources, each with its namespace set.
    public var resources: [MeshResource] = []
    /// Pods (and, offline, the pod templates of workloads), or `nil` when unknown.
    public var pods: [Workload]?
    public var services: [Service]?
    public var secrets: [SecretName]?
    /// The mesh (root) namespace, where mesh-wide policies live.
    public var rootNamespace: String
    /// Modelled resources that could not be read (IST0106), from `init(documents:…)`.
    public var unreadable: [AnalysisMessage] = []

    public init(resources: [MeshResource] = [], pods: [Workload]? = nil, services: [Service]? = nil, secrets: [SecretName]? = nil, rootNamespace: String = "istio-system") {
        self.resources = resources
        self.pods = pods
        self.services = services
        self.secrets = secrets
        self.rootNamespace = rootNamespace
    }

    public var gateways: [Resource<GatewaySpec>] { resources.compactMap { if case .gateway(let r) = $0 { r } else { nil } } }
    public var virtualServices: [Resource<VirtualServiceSpec>] { resources.compactMap { if case .virtualService(let r) = $0 { r } else { nil } } }
    public var destinationRules: [Resource<DestinationRuleSpec>] { resources.compactMap { if case .destinationRule(let r) = $0 { r } else { nil } } }
    public var serviceEntries: [Resource<ServiceEntrySpec>] { resources.compactMap { if case .serviceEntry(let r) = $0 { r } else { nil } } }
    public var peerAuthentications: [Resource<PeerAuthenticationSpec>] { resources.compactMap { if case .peerAuthentication(let r) = $0 { r } else { nil } } }

    /// The pods a label selector picks in `namespace` (every namespace when `nil`); `nil` when pods are unknown.
    public func pods(selectedBy selector: [String: String], in namespace: String? = nil) -> [Workload]? {
        pods?.filter { pod in
            (namespace == nil || pod.namespace == namespace) && selector.allSatisfy { pod.labels[$0.key] == $0.value }
        }
    }
}

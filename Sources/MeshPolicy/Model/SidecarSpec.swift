import MeshCore

/// `Sidecar.spec`: what a workload's proxy accepts and which services it can reach.
public struct SidecarSpec: Codable, Sendable, Equatable {
    public var workloadSelector: NetworkingWorkloadSelector?
    public var ingress: [IstioIngressListener]?
    public var egress: [IstioEgressListener]?
    public var inboundConnectionPool: Value?
    public var outboundTrafficPolicy: Value?

    public init(egress: [IstioEgressListener]? = nil) {
        self.egress = egress
    }
}

/// An inbound listener of a Sidecar.
public struct IstioIngressListener: Codable, Sendable, Hashable {
    public var port: PortSpec?
    public var bind: String?
    public var captureMode: String?
    public var defaultEndpoint: String?
    public var tls: ServerTLSSettings?
    public var connectionPool: Value?
}

/// An outbound listener of a Sidecar: the `namespace/host` entries it can reach.
public struct IstioEgressListener: Codable, Sendable, Hashable {
    public var port: PortSpec?
    public var bind: String?
    public var captureMode: String?
    public var hosts: [String]?

    public init(hosts: [String]? = nil) {
        self.hosts = hosts
    }
}

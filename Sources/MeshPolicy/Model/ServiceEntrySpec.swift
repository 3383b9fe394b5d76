import MeshCore

/// `ServiceEntry.spec`: a service added to the mesh's registry (often one outside the mesh).
public struct ServiceEntrySpec: Codable, Sendable, Equatable {
    public var hosts: [String]?
    public var addresses: [String]?
    public var ports: [PortSpec]?
    /// `MESH_EXTERNAL` or `MESH_INTERNAL`.
    public var location: String?
    /// `NONE`, `STATIC`, `DNS`, `DNS_ROUND_ROBIN` or `DYNAMIC_DNS`.
    public var resolution: String?
    public var endpoints: [WorkloadEntrySpec]?
    public var workloadSelector: NetworkingWorkloadSelector?
    public var exportTo: [String]?
    public var subjectAltNames: [String]?

    public init(hosts: [String]? = nil, ports: [PortSpec]? = nil, resolution: String? = nil) {
        self.hosts = hosts
        self.ports = ports
        self.resolution = resolution
    }
}

/// An endpoint of a ServiceEntry.
public struct WorkloadEntrySpec: Codable, Sendable, Hashable {
    public var address: String?
    public var ports: [String: Int]?
    public var labels: [String: String]?
    public var network: String?
    public var locality: String?
    public var weight: Int?
    public var serviceAccount: String?
}

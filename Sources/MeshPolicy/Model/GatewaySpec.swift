/// `Gateway.spec`: a load balancer at the edge of the mesh, its ports, hosts and TLS.
public struct GatewaySpec: Codable, Sendable, Equatable {
    public var servers: [GatewayServer]?
    /// Labels of the gateway pods this configuration applies to.
    public var selector: [String: String]?

    public init(servers: [GatewayServer]? = nil, selector: [String: String]? = nil) {
        self.servers = servers
        self.selector = selector
    }
}

/// One server of a Gateway: a port, the hosts it exposes and its TLS settings.
public struct GatewayServer: Codable, Sendable, Hashable {
    public var port: PortSpec?
    public var bind: String?
    /// `[namespace/]host` entries; `*` wildcards allowed in the first label.
    public var hosts: [String]?
    public var tls: ServerTLSSettings?
    public var defaultEndpoint: String?
    public var name: String?

    public init(port: PortSpec? = nil, hosts: [String]? = nil, tls: ServerTLSSettings? = nil, name: String? = nil) {
        self.port = port
        self.hosts = hosts
        self.tls = tls
        self.name = name
    }
}

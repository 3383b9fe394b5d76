import MeshPolicy

/// Istio `ServiceEntry`: each host becomes a cluster of the entry's endpoints (on its first port, or the
/// endpoint's own port for that port name).
enum ServiceEntryParser {
    /// With the workload `identity`, meshed endpoints get auto mTLS whose accepted SANs are the entry's
    /// `subjectAltNames` and its endpoints' service accounts in `trustDomain`.
    static func apply(
        _ entry: IstioResource<ServiceEntrySpec>, identity: UpstreamTLSConfig?, trustDomain: String, to config: inout ProxyConfig
    ) throws(ProxyError) {
        let spec = entry.spec
        let hosts = spec.hosts ?? []
        guard !hosts.isEmpty else { throw entry.field.at("hosts").fail("at least one host is required") }
        let port = spec.ports?.first?.number
        let portName = spec.ports?.first?.name
        let http2 = ["HTTP2", "GRPC", "GRPC-WEB"].contains(spec.ports?.first?.protocol?.uppercased() ?? "")
        var endpoints: [EndpointConfig] = []
        var serviceAccountSANs: [String] = []
        for (index, endpoint) in (spec.endpoints ?? []).enumerated() {
            let field = entry.field.at("endpoints")[index]
            guard let address = endpoint.address, !address.isEmpty else { throw field.at("address").fail("required") }
            var number = port
            if let portName, let own = endpoint.ports?[portName] { number = own }
            guard let number, (1...65535).contains(number) else {
                throw field.at("ports").fail("no port: set spec.ports[0].number or the endpoint's ports")
            }
            endpoints.append(EndpointConfig(
                address: HostPort(host: address, port: number), labels: endpoint.labels ?? [:], weight: endpoint.weight ?? 1))
            if let account = endpoint.serviceAccount {
                serviceAccountSANs.append("spiffe://\(trustDomain)/ns/\(entry.namespace)/sa/\(account)")
            }
        }
        if endpoints.isEmpty, let port, spec.resolution == "DNS" {
            endpoints = hosts.map { EndpointConfig(address: HostPort(host: $0, port: port)) }
        }
        guard !endpoints.isEmpty else { throw entry.field.at("endpoints").fail("at least one endpoint is required") }
        for host in hosts {
            let name = host.lowercased()
            var cluster = ClusterConfig(name: name, endpoints: endpoints)
            cluster.http2 = http2
            cluster.serviceAccountSANs = (spec.subjectAltNames ?? []) + serviceAccountSANs
            if let identity {
                var auto = identity
                auto.subjectAltNames = cluster.serviceAccountSANs
                cluster.autoMTLS = auto
            }
            config.clusters[name] = cluster
        }
    }
}

import MeshCore

/// Istio `ServiceEntry`: each host becomes a cluster of the entry's endpoints (on its first port, or the
/// endpoint's own port for that port name).
enum ServiceEntryParser {
    /// `namespace` is the entry's; with the workload `identity`, meshed endpoints get auto mTLS whose accepted
    /// SANs are the entry's `subjectAltNames` and its endpoints' service accounts in `trustDomain`.
    static func apply(
        _ spec: FieldReader, namespace: String, identity: UpstreamTLSConfig?, trustDomain: String, to config: inout ProxyConfig
    ) throws(ProxyError) {
        let hosts = try spec.strings("hosts")
        guard !hosts.isEmpty else { throw spec.fail("hosts", "at least one host is required") }
        let ports = try spec.children("ports")
        let port = try ports.first?.int("number")
        let portName = try ports.first?.string("name")
        let http2 = ["HTTP2", "GRPC", "GRPC-WEB"].contains(try ports.first?.string("protocol")?.uppercased() ?? "")
        var endpoints: [EndpointConfig] = []
        var serviceAccountSANs: [String] = []
        for endpoint in try spec.children("endpoints") {
            let address = try endpoint.requiredString("address")
            var number = port
            if let portName, let own = try endpoint.child("ports")?.int(portName) { number = own }
            guard let number, (1...65535).contains(number) else {
                throw endpoint.fail("ports", "no port: set spec.ports[0].number or the endpoint's ports")
            }
            endpoints.append(EndpointConfig(
                address: HostPort(host: address, port: number), labels: try endpoint.stringMap("labels"),
                weight: try endpoint.int("weight") ?? 1))
            if let account = try endpoint.string("serviceAccount") {
                serviceAccountSANs.append("spiffe://\(trustDomain)/ns/\(namespace)/sa/\(account)")
            }
        }
        if endpoints.isEmpty, let port, try spec.string("resolution") == "DNS" {
            endpoints = hosts.map { EndpointConfig(address: HostPort(host: $0, port: port)) }
        }
        guard !endpoints.isEmpty else { throw spec.fail("endpoints", "at least one endpoint is required") }
        for host in hosts {
            let name = host.lowercased()
            var cluster = ClusterConfig(name: name, endpoints: endpoints)
            cluster.http2 = http2
            if let identity {
                var auto = identity
                auto.subjectAltNames = try spec.strings("subjectAltNames") + serviceAccountSANs
                cluster.autoMTLS = auto
            }
            config.clusters[name] = cluster
        }
    }
}

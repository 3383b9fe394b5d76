extension MeshAnalyzer {
    /// IST0101 for a bound gateway that does not exist; IST0132 when a host of the VirtualService is on none
    /// of the gateway's servers (as istioctl, the message lists all the VirtualService's hosts).
    static func gatewayReferences(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        var messages: [AnalysisMessage] = []
        for vs in snapshot.virtualServices {
            let namespace = vs.namespace ?? ""
            for reference in vs.spec.gateways ?? [] where reference != "mesh" {
                let (gatewayNamespace, name) = HostNames.qualified(reference, in: namespace)
                guard let gateway = snapshot.gateway(namespace: gatewayNamespace, name: name) else {
                    messages.append(AnalysisMessage(.referencedResourceNotFound, origin: vs.origin, "Referenced gateway not found: \(quoted(reference))"))
                    continue
                }
                let hosts = vs.spec.hosts ?? []
                if hosts.contains(where: { !gateway.serves($0, forNamespace: namespace) }) {
                    messages.append(AnalysisMessage(
                        .virtualServiceHostNotFoundInGateway, origin: vs.origin,
                        "one or more host \(list(hosts)) defined in VirtualService \(namespace)/\(vs.name) not found in Gateway \(gatewayNamespace)/\(name)."))
                }
            }
        }
        return messages
    }

    /// IST0101 for route destinations: a host no Service or ServiceEntry provides (only when services are
    /// known), and a subset no DestinationRule for the host defines.
    static func destinationHosts(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        var messages: [AnalysisMessage] = []
        for vs in snapshot.virtualServices {
            let namespace = vs.namespace ?? ""
            for destination in vs.spec.destinations {
                guard let host = destination.host, !host.hasPrefix("*") else { continue }
                let fqdn = HostNames.fqdn(host, in: namespace)
                if let services = snapshot.services, !services.contains(where: { $0.hostname == fqdn }),
                   !snapshot.serviceEntries.contains(where: { $0.provides(fqdn) }) {
                    messages.append(AnalysisMessage(.referencedResourceNotFound, origin: vs.origin, "Referenced host not found: \(quoted(host))"))
                }
                if let subset = destination.subset, !snapshot.destinationRules.contains(where: { $0.defines(subset, for: fqdn) }) {
                    messages.append(AnalysisMessage(.referencedResourceNotFound, origin: vs.origin, "Referenced host+subset in destinationrule not found: \(quoted("\(host)+\(subset)"))"))
                }
            }
        }
        return messages
    }
}

extension MeshSnapshot {
    /// The Gateway `namespace/name`, if present.
    public func gateway(namespace: String, name: String) -> Resource<GatewaySpec>? {
        gateways.first { $0.namespace == namespace && $0.name == name }
    }
}

extension Resource<GatewaySpec> {
    /// Whether a server of this gateway takes `host` for a VirtualService in `namespace` (a server host
    /// `ns/host` admits only VirtualServices of that namespace).
    public func serves(_ host: String, forNamespace namespace: String) -> Bool {
        let own = self.namespace ?? ""
        return (spec.servers ?? []).contains { server in
            (server.hosts ?? []).contains { entry in
                let (allowed, pattern) = HostNames.gatewayHost(entry, gatewayNamespace: own)
                return (allowed == "*" || allowed == namespace) && HostNames.overlap(pattern, host)
            }
        }
    }
}

extension VirtualServiceSpec {
    /// Every destination of its HTTP, TLS and TCP routes (and HTTP mirrors).
    public var destinations: [Destination] {
        let http = (http ?? []).flatMap { route in (route.route ?? []).compactMap(\.destination) + (route.mirror.map { [$0] } ?? []) }
        return http + (tls ?? []).flatMap { ($0.route ?? []).compactMap(\.destination) } + (tcp ?? []).flatMap { ($0.route ?? []).compactMap(\.destination) }
    }
}

extension Resource<ServiceEntrySpec> {
    /// Whether one of its hosts (short names resolved in its namespace, wildcards allowed) is `fqdn`.
    func provides(_ fqdn: String) -> Bool {
        (spec.hosts ?? []).contains { HostNames.overlap(HostNames.fqdn($0, in: namespace ?? ""), fqdn) }
    }
}

extension Resource<DestinationRuleSpec> {
    /// Whether it is for `fqdn` and defines the subset `name`.
    func defines(_ subset: String, for fqdn: String) -> Bool {
        guard let host = spec.host, HostNames.fqdn(host, in: namespace ?? "") == fqdn else { return false }
        return (spec.subsets ?? []).contains { $0.name == subset }
    }
}

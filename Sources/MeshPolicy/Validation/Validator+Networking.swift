extension Validator {
    static func destinationRule(_ resource: Resource<DestinationRuleSpec>, _ list: inout IssueList) {
        let spec = resource.spec
        list.check("spec.host", HostnameRules.wildcardDomain(spec.host ?? ""))
        var names: Set<String> = []
        for (index, subset) in (spec.subsets ?? []).enumerated() {
            let path = "spec.subsets[\(index)]"
            let name = subset.name ?? ""
            if names.contains(name) { list.error("\(path).name", "duplicate subset names: \(name)") }
            names.insert(name)
            if name.isEmpty {
                list.error("\(path).name", "name must be specified")
            } else if !HostnameRules.isDNS1123Label(name) {
                list.error("\(path).name", "subset name is invalid: \(name)")
            }
            for (key, value) in (subset.labels ?? [:]).sorted(by: { $0.key < $1.key }) where key.isEmpty || value.contains("*") {
                list.error("\(path).labels", "invalid label: \(key)=\(value)")
            }
        }
        exportTo(spec.exportTo, namespace: resource.namespace, isServiceEntry: false, &list)
        if let selector = spec.workloadSelector {
            for problem in HostnameRules.selectorLabels(selector.matchLabels) { list.error("spec.workloadSelector", problem) }
            if (selector.matchLabels ?? [:]).isEmpty { list.warning("spec.workloadSelector", "workload selector specified without labels") }
        }
    }

    static func serviceEntry(_ resource: Resource<ServiceEntrySpec>, _ list: inout IssueList) {
        let spec = resource.spec
        let hosts = spec.hosts ?? []
        if hosts.isEmpty { list.error("spec.hosts", "service entry must have at least one host") }
        for (index, host) in hosts.enumerated() {
            if host == "*" {
                list.error("spec.hosts[\(index)]", "invalid host \(host)")
            } else if let problem = HostnameRules.wildcardDomain(host) {
                list.error("spec.hosts[\(index)]", problem)
            }
        }
        for (index, address) in (spec.addresses ?? []).enumerated() where CIDR(address) == nil {
            list.error("spec.addresses[\(index)]", "invalid address \(address)")
        }
        let resolution = spec.resolution ?? "NONE"
        if !["NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"].contains(resolution) {
            list.error("spec.resolution", "unsupported resolution \"\(resolution)\"")
        }
        if let location = spec.location, !["MESH_EXTERNAL", "MESH_INTERNAL"].contains(location) {
            list.error("spec.location", "unsupported location \"\(location)\"")
        }
        let ports = spec.ports ?? []
        var portNames: Set<String> = [], portNumbers: Set<Int> = []
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            let name = port.name ?? ""
            if name.isEmpty { list.error("\(path).name", "port name must be set") }
            if portNames.contains(name) && !name.isEmpty { list.error("\(path).name", "service entry port name \(name) already defined") }
            portNames.insert(name)
            if let number = port.number, portNumbers.contains(number) { list.error("\(path).number", "service entry port \(number) already defined") }
            portNumbers.insert(port.number ?? 0)
            list.check("\(path).number", HostnameRules.port(port.number ?? 0))
            if !ProtocolName.isSupported(port.protocol) && port.protocol != nil { list.error("\(path).protocol", "unsupported protocol \"\(port.protocol ?? "")\"") }
        }
        let endpoints = spec.endpoints ?? []
        if resolution == "STATIC" && endpoints.isEmpty && spec.workloadSelector == nil {
            list.error("spec.endpoints", "endpoints must be provided if service entry resolution mode is static")
        }
        if resolution == "NONE" && !endpoints.isEmpty {
            list.error("spec.endpoints", "no endpoints should be provided for resolution type none")
        }
        if spec.workloadSelector != nil && !endpoints.isEmpty {
            list.error("spec", "only one of WorkloadSelector or Endpoints is allowed in Service Entry")
        }
        for (index, endpoint) in endpoints.enumerated() {
            let address = endpoint.address ?? ""
            if resolution == "STATIC" && !address.hasPrefix("unix://") && IPAddress(address) == nil {
                list.error("spec.endpoints[\(index)].address", "endpoint address \(address) is not a valid IP address")
            }
            for (name, port) in (endpoint.ports ?? [:]).sorted(by: { $0.key < $1.key }) {
                if !portNames.contains(name) { list.error("spec.endpoints[\(index)].ports", "endpoint port \(name) is not defined by the service entry") }
                list.check("spec.endpoints[\(index)].ports.\(name)", HostnameRules.port(port))
            }
        }
        exportTo(spec.exportTo, namespace: resource.namespace, isServiceEntry: true, &list)
    }

    static func sidecar(_ resource: Resource<SidecarSpec>, _ list: inout IssueList) {
        let spec = resource.spec
        if let selector = spec.workloadSelector {
            for problem in HostnameRules.selectorLabels(selector.labels) { list.error("spec.workloadSelector", problem) }
            if (selector.labels ?? [:]).isEmpty {
                list.warning("spec.workloadSelector", "sidecar: workload selector specified without labels, will be applied to all services in namespace")
            }
        }
        if (spec.egress ?? []).isEmpty && (spec.ingress ?? []).isEmpty && spec.outboundTrafficPolicy == nil && spec.inboundConnectionPool == nil {
            list.error("spec", "sidecar: empty configuration provided")
            return
        }
        var ingressPorts: Set<Int> = []
        for (index, ingress) in (spec.ingress ?? []).enumerated() {
            let path = "spec.ingress[\(index)]"
            guard let port = ingress.port else {
                list.error("\(path).port", "sidecar: port is required for ingress listeners")
                continue
            }
            if (port.targetPort ?? 0) > 0 { list.error("\(path).port.targetPort", "targetPort has no impact on Sidecars") }
            list.check("\(path).port.number", HostnameRules.port(port.number ?? 0))
            if ingressPorts.contains(port.number ?? 0) { list.error("\(path).port", "sidecar: ports on IP bound listeners must be unique") }
            ingressPorts.insert(port.number ?? 0)
            if let tls = ingress.tls {
                if !(tls.subjectAltNames ?? []).isEmpty { list.error("\(path).tls", "sidecar: subjectAltNames is not supported in ingress tls") }
                if tls.httpsRedirect == true { list.error("\(path).tls", "sidecar: httpsRedirect is not supported") }
                if !(tls.credentialName ?? "").isEmpty { list.error("\(path).tls", "sidecar: credentialName is not currently supported") }
                if tls.mode == "ISTIO_MUTUAL" || tls.mode == "AUTO_PASSTHROUGH" {
                    list.error("\(path).tls", "configuration is invalid: cannot set mode to \(tls.mode!) in sidecar ingress tls")
                }
                self.tls(tls, path: "\(path).tls", sidecar: true, &list)
            }
        }
        var egressPorts: Set<Int> = []
        let egress = spec.egress ?? []
        var catchAll = false
        for (index, listener) in egress.enumerated() {
            let path = "spec.egress[\(index)]"
            if let port = listener.port {
                if (port.targetPort ?? 0) > 0 { list.error("\(path).port.targetPort", "targetPort has no impact on Sidecars") }
                if let number = port.number, number != 0 {
                    list.check("\(path).port.number", HostnameRules.port(number))
                    if egressPorts.contains(number) { list.error("\(path).port", "sidecar: ports on IP bound listeners must be unique") }
                    egressPorts.insert(number)
                }
            } else if catchAll {
                list.error(path, "sidecar: egress can have only one listener with empty port")
            } else if index == egress.count - 1 {
                catchAll = true
            } else {
                list.error(path, "sidecar: the egress listener with empty port should be the last listener in the list")
            }
            let hosts = listener.hosts ?? []
            if hosts.isEmpty { list.error("\(path).hosts", "sidecar: egress listener must contain at least one host") }
            for (h, host) in hosts.enumerated() {
                for problem in HostnameRules.namespaceSlashHostname(host, isGateway: false) { list.error("\(path).hosts[\(h)]", problem) }
            }
        }
    }
}

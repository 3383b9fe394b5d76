extension Validator {
    static func virtualService(_ resource: Resource<VirtualServiceSpec>, _ list: inout IssueList) {
        let spec = resource.spec
        let hosts = spec.hosts ?? []
        let gateways = spec.gateways ?? []
        if hosts.isEmpty {
            if !gateways.isEmpty { list.error("spec.gateways", "delegate virtual service must have no gateways specified") }
            if !(spec.tls ?? []).isEmpty { list.error("spec.tls", "delegate virtual service must have no tls route specified") }
            if !(spec.tcp ?? []).isEmpty { list.error("spec.tcp", "delegate virtual service must have no tcp route specified") }
        }
        for (index, gateway) in gateways.enumerated() { list.check("spec.gateways[\(index)]", gatewayName(gateway)) }
        let appliesToMesh = gateways.isEmpty || gateways.contains("mesh")
        var allValid = true
        for (index, host) in hosts.enumerated() {
            if let problem = HostnameRules.wildcardDomain(host), !HostnameRules.isIPAddress(host) {
                list.error("spec.hosts[\(index)]", problem)
                allValid = false
            } else if appliesToMesh && host == "*" {
                list.error("spec.hosts[\(index)]", "wildcard host * is not allowed for virtual services bound to the mesh gateway")
                allValid = false
            }
        }
        if allValid {
            for i in hosts.indices {
                for j in hosts.indices where j > i && hostMatches(hosts[i], hosts[j]) {
                    list.error("spec.hosts", "duplicate hosts in virtual service: \(hosts[i]) & \(hosts[j])")
                }
            }
        }
        if (spec.http ?? []).isEmpty && (spec.tcp ?? []).isEmpty && (spec.tls ?? []).isEmpty {
            list.error("spec", "http, tcp or tls must be provided in virtual service")
        }
        for (index, route) in (spec.http ?? []).enumerated() {
            httpRoute(route, path: "spec.http[\(index)]", delegate: hosts.isEmpty, &list)
        }
        for (index, route) in (spec.tcp ?? []).enumerated() {
            destinations(route.route, path: "spec.tcp[\(index)].route", &list)
            for (m, match) in (route.match ?? []).enumerated() { list.check("spec.tcp[\(index)].match[\(m)].port", match.port.flatMap(HostnameRules.port)) }
        }
        for (index, route) in (spec.tls ?? []).enumerated() {
            let path = "spec.tls[\(index)]"
            if (route.match ?? []).isEmpty { list.error("\(path).match", "TLS route must have at least one match condition") }
            for (m, match) in (route.match ?? []).enumerated() where (match.sniHosts ?? []).isEmpty {
                list.error("\(path).match[\(m)].sniHosts", "TLS match must have at least one SNI host")
            }
            destinations(route.route, path: "\(path).route", &list)
        }
        exportTo(spec.exportTo, namespace: resource.namespace, isServiceEntry: false, &list)
    }

    /// Whether `a` covers `b` or `b` covers `a` (Istio's host.Name.Matches): equal, or one is a wildcard suffix of the other.
    static func hostMatches(_ a: String, _ b: String) -> Bool {
        HostIntersection.intersect(a, b) != nil
    }

    static func gatewayName(_ name: String) -> String? {
        if name == "mesh" { return nil }
        let parts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            if !HostnameRules.isDNS1123Label(parts[0]) { return "invalid value for namespace: \"\(parts[0])\"" }
            if !HostnameRules.isDNS1123Label(parts[1]) { return "invalid gateway name: \"\(parts[1])\"" }
            return nil
        }
        return HostnameRules.fqdn(name).map { _ in "invalid gateway name: \"\(name)\"" }
    }

    private static func httpRoute(_ route: HTTPRoute, path: String, delegate: Bool, _ list: inout IssueList) {
        if route.delegate == nil {
            if route.redirect != nil {
                if !(route.route ?? []).isEmpty { list.error(path, "HTTP route cannot contain both route and redirect") }
                if route.fault != nil { list.error(path, "HTTP route cannot contain both fault and redirect") }
                if route.rewrite != nil { list.error(path, "HTTP route rule cannot contain both rewrite and redirect") }
            } else if route.directResponse == nil && (route.route ?? []).isEmpty {
                list.error(path, "HTTP route, redirect or direct response is required")
            }
        } else if delegate {
            list.error("\(path).delegate", "delegate HTTP route cannot contain delegate")
        }
        for (index, match) in (route.match ?? []).enumerated() {
            let matchPath = "\(path).match[\(index)]"
            let strings: [(String, StringMatch?)] = [("uri", match.uri), ("scheme", match.scheme), ("method", match.method), ("authority", match.authority)]
            for (field, value) in strings { stringMatch(value, field: field, path: "\(matchPath).\(field)", &list) }
            for (name, value) in (match.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                list.check("\(matchPath).headers.\(name)", headerName(name))
                stringMatch(value, field: "headers", path: "\(matchPath).headers.\(name)", &list)
            }
            for (name, value) in (match.queryParams ?? [:]).sorted(by: { $0.key < $1.key }) {
                stringMatch(value, field: "queryParams", path: "\(matchPath).queryParams.\(name)", &list)
            }
            if let port = match.port, port != 0 { list.check("\(matchPath).port", HostnameRules.port(port)) }
            for (g, gateway) in (match.gateways ?? []).enumerated() { list.check("\(matchPath).gateways[\(g)]", gatewayName(gateway)) }
            if let namespace = match.sourceNamespace, !namespace.isEmpty, !HostnameRules.isDNS1123Label(namespace) {
                list.error("\(matchPath).sourceNamespace", "sourceNamespace match \(namespace) is invalid")
            }
        }
        if let percent = route.mirrorPercent ?? route.mirror_percent {
            if percent > 100 { list.error("\(path).mirrorPercent", "mirror_percent must have a max value of 100 (it has \(percent))") }
            list.warning("\(path).mirrorPercent", "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead")
        }
        if let mirror = route.mirror { destination(mirror, path: "\(path).mirror", &list) }
        if let timeout = route.timeout, GoDurationText.milliseconds(timeout) == nil {
            list.error("\(path).timeout", "invalid duration \"\(timeout)\"")
        }
        destinations(route.route, path: "\(path).route", &list)
    }

    private static func stringMatch(_ match: StringMatch?, field: String, path: String, _ list: inout IssueList) {
        guard let match else { return }
        let set = [match.exact, match.prefix, match.regex].compactMap { $0 }.count
        if set > 1 { list.error(path, "only one of exact, prefix or regex may be set") }
        if let regex = match.regex { list.check("\(path).regex", RegexRules.problem(regex, field: field)) }
    }

    static func headerName(_ name: String) -> String? {
        if name.isEmpty { return "header name cannot be empty" }
        let valid = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return valid ? nil : "header name \(name) is not a valid header name"
    }

    static func destinations(_ routes: [RouteDestination]?, path: String, _ list: inout IssueList) {
        guard let routes else { return }
        var total = 0
        for (index, route) in routes.enumerated() {
            guard let destination = route.destination else {
                list.error("\(path)[\(index)]", "destination is required")
                continue
            }
            self.destination(destination, path: "\(path)[\(index)].destination", &list)
            let weight = route.weight ?? 0
            if weight < 0 { list.error("\(path)[\(index)].weight", "weight \(weight) < 0") }
            total += max(weight, 0)
        }
        if routes.count > 1 && total == 0 { list.error(path, "total destination weight = 0") }
    }

    static func destination(_ destination: Destination, path: String, _ list: inout IssueList) {
        let host = destination.host ?? ""
        if host == "*" {
            list.error("\(path).host", "invalid destination host \(host)")
        } else if let problem = HostnameRules.wildcardDomain(host) {
            list.error("\(path).host", problem)
        }
        if let subset = destination.subset, !subset.isEmpty, !HostnameRules.isDNS1123Label(subset) {
            list.error("\(path).subset", "subset name is invalid: \(subset)")
        }
        if let port = destination.port?.number { list.check("\(path).port.number", HostnameRules.port(port)) }
    }
}

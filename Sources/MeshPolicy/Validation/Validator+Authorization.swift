extension Validator {
    static func authorizationPolicy(_ resource: Resource<AuthorizationPolicySpec>, _ list: inout IssueList) {
        let spec = resource.spec
        selectorAndTargets(spec.selector, spec.targetRef, spec.targetRefs, &list)
        guard let action = AuthorizationAction(spec: spec.action) else {
            list.error("spec.action", "unsupported action \"\(spec.action ?? "")\", expected ALLOW, DENY, AUDIT or CUSTOM")
            return
        }
        if action == .custom {
            if spec.rules == nil {
                list.error("spec.rules", "CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request")
            } else if (spec.provider?.name ?? "").isEmpty {
                list.error("spec.provider.name", "`provider.name` must not be empty")
            }
        }
        if spec.provider != nil && action != .custom {
            list.error("spec.provider", "`provider` must not be with non CUSTOM action, found \(action.rawValue)")
        }
        if action == .deny && spec.rules == nil {
            list.error("spec.rules", "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request")
        }
        if let dryRun = resource.metadata.annotations?[CompiledPolicy.dryRunAnnotation] {
            if action != .allow && action != .deny {
                list.error("metadata.annotations", "the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action \(action.rawValue) in \(resource.namespace ?? "")/\(resource.name)")
            } else if BoolText.parse(dryRun) == nil {
                list.error("metadata.annotations", "\(resource.namespace ?? "")/\(resource.name) has annotation istio.io/dry-run with invalid value (\(dryRun))")
            }
        }
        for (index, rule) in (spec.rules ?? []).enumerated() {
            guard let rule else {
                list.error("spec.rules[\(index)]", "`rule` must not be nil, found at rule \(index)")
                continue
            }
            self.rule(rule, index: index, action: action, &list)
        }
    }

    private static func rule(_ rule: AuthorizationRule, index i: Int, action: AuthorizationAction, _ list: inout IssueList) {
        let path = "spec.rules[\(i)]"
        if let from = rule.from, from.isEmpty { list.error("\(path).from", "`from` must not be empty, found at rule \(i)") }
        var tcpInFrom = false, tcpInTo = false, fromExists = false, toExists = false
        for (f, entry) in (rule.from ?? []).enumerated() {
            let fromPath = "\(path).from[\(f)]"
            guard let entry else { list.error(fromPath, "`from` must not be nil, found at rule \(i)"); continue }
            guard let source = entry.source else { list.error("\(fromPath).source", "`from.source` must not be nil, found at rule \(i)"); continue }
            fromExists = true
            if source.isEmpty { list.error("\(fromPath).source", "`from.source` must not be empty, found at rule \(i)") }
            for (name, values) in [("ipBlocks", source.ipBlocks), ("notIpBlocks", source.notIpBlocks), ("remoteIpBlocks", source.remoteIpBlocks), ("notRemoteIpBlocks", source.notRemoteIpBlocks)] {
                for problem in ips(values ?? []) { list.error("\(fromPath).source.\(name)", problem) }
            }
            let named: [(String, [String]?)] = [
                ("Principals", source.principals), ("RequestPrincipals", source.requestPrincipals), ("Namespaces", source.namespaces),
                ("IpBlocks", source.ipBlocks), ("RemoteIpBlocks", source.remoteIpBlocks), ("NotPrincipals", source.notPrincipals),
                ("NotRequestPrincipals", source.notRequestPrincipals), ("NotNamespaces", source.notNamespaces),
                ("NotIpBlocks", source.notIpBlocks), ("NotRemoteIpBlocks", source.notRemoteIpBlocks),
            ]
            for (name, values) in named where (values ?? []).contains("") {
                list.error("\(fromPath).source", "empty value not allowed, found in \(name)")
            }
            if (source.serviceAccounts != nil || source.notServiceAccounts != nil)
                && (source.principals != nil || source.notPrincipals != nil || source.namespaces != nil || source.notNamespaces != nil) {
                list.error("\(fromPath).source", "Cannot set serviceAccounts with namespaces or principals")
            }
            if action == .custom {
                for (name, values) in [("From.Namespaces", source.namespaces), ("From.NotNamespaces", source.notNamespaces), ("From.Principals", source.principals), ("From.NotPrincipals", source.notPrincipals), ("From.RequestPrincipals", source.requestPrincipals), ("From.NotRequestPrincipals", source.notRequestPrincipals)] where !(values ?? []).isEmpty {
                    list.error("\(fromPath).source", "\(name) is currently not supported with CUSTOM action")
                }
            }
            if [source.principals, source.notPrincipals, source.ipBlocks, source.notIpBlocks, source.namespaces, source.notNamespaces, source.remoteIpBlocks, source.notRemoteIpBlocks].contains(where: { $0 != nil }) {
                tcpInFrom = true
            }
        }
        if let to = rule.to, to.isEmpty { list.error("\(path).to", "`to` must not be empty, found at rule \(i)") }
        for (t, entry) in (rule.to ?? []).enumerated() {
            let toPath = "\(path).to[\(t)]"
            guard let entry else { list.error(toPath, "`to` must not be nil, found at rule \(i)"); continue }
            guard let operation = entry.operation else { list.error("\(toPath).operation", "`to.operation` must not be nil, found at rule \(i)"); continue }
            toExists = true
            if operation.isEmpty { list.error("\(toPath).operation", "`to.operation` must not be empty, found at rule \(i)") }
            for problem in ports(operation.ports ?? []) + ports(operation.notPorts ?? []) { list.error("\(toPath).operation", problem) }
            let named: [(String, [String]?)] = [
                ("Ports", operation.ports), ("Methods", operation.methods), ("Paths", operation.paths), ("Hosts", operation.hosts),
                ("NotPorts", operation.notPorts), ("NotMethods", operation.notMethods), ("NotPaths", operation.notPaths), ("NotHosts", operation.notHosts),
            ]
            for (name, values) in named where (values ?? []).contains("") {
                list.error("\(toPath).operation", "empty value not allowed, found in \(name)")
            }
            for (name, values) in [("Paths", operation.paths), ("NotPaths", operation.notPaths)] where (values ?? []).contains(where: unsupportedPathTemplate) {
                list.error("\(toPath).operation", "invalid or unsupported path template, found in \(name)")
            }
            if operation.ports != nil || operation.notPorts != nil { tcpInTo = true }
        }
        for (c, condition) in (rule.when ?? []).enumerated() {
            let whenPath = "\(path).when[\(c)]"
            guard let condition else { list.error(whenPath, "when field cannot be nil"); continue }
            let key = condition.key ?? ""
            if key.isEmpty { list.error("\(whenPath).key", "`key` must not be empty"); continue }
            if (condition.values ?? []).isEmpty && (condition.notValues ?? []).isEmpty {
                list.error(whenPath, "at least one of `values` or `notValues` must be set for key \(key)")
            } else {
                if let problem = attribute(key, condition.values ?? []) { list.error("\(whenPath).values", "invalid `value` for `key` \(key): \(problem)") }
                if let problem = attribute(key, condition.notValues ?? []) { list.error("\(whenPath).notValues", "invalid `notValue` for `key` \(key): \(problem)") }
            }
            if action == .custom && (key == "source.namespace" || key == "source.principal" || key.hasPrefix("request.auth.")) {
                list.error("\(whenPath).key", "\(key) is currently not supported with CUSTOM action")
            }
        }
        if ((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo)) && action == .deny {
            list.warning(path, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port")
        }
    }

    static func ips(_ values: [String]) -> [String] {
        values.compactMap { value in
            guard CIDR(value) == nil else { return nil }
            return value.contains("/") ? "bad CIDR range (\(value))" : "bad IP address (\(value))"
        }
    }

    static func ports(_ values: [String]) -> [String] {
        values.compactMap { value in
            let valid = !value.isEmpty && value.allSatisfy { $0.isASCII && $0.isNumber } && (Int(value) ?? 70000) <= 65535
            return valid ? nil : "bad port (\(value))"
        }
    }

    /// Path templates may use only `{*}` and `{**}`; named variables, `{}` and bare `*`/`**` segments are refused.
    static func unsupportedPathTemplate(_ path: String) -> Bool {
        guard PathTemplate.isTemplate(path) else { return false }
        let stripped = path.split(separator: "{**}", omittingEmptySubsequences: false).joined()
            .split(separator: "{*}", omittingEmptySubsequences: false).joined()
        return stripped.contains("{") || stripped.contains("}") || stripped.contains("/*") || stripped.contains("*/")
    }

    /// Istio's checks of a `when` key and its values.
    static func attribute(_ key: String, _ values: [String]) -> String? {
        if values.contains("") { return "empty value not allowed, found in \(key)" }
        func mapKey() -> String? {
            guard let open = key.firstIndex(of: "["), key.hasSuffix("]"), key.distance(from: key.startIndex, to: open) > 0,
                key.distance(from: open, to: key.endIndex) > 2 else { return "bad key (\(key)): should have format a[b]" }
            return nil
        }
        switch key {
        case "source.ip", "remote.ip", "destination.ip": return ips(values).first
        case "destination.port": return ports(values).first
        case "source.namespace", "source.principal", "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "connection.sni": return nil
        case "destination.namespace": return "attribute \(key) is replaced by the metadata.namespace"
        case "destination.name", "destination.user": return "deprecated attribute \(key): only supported in v1alpha1"
        default:
            if key.hasPrefix("request.headers") || key.hasPrefix("request.auth.claims") || key.hasPrefix("experimental.envoy.filters.") { return mapKey() }
            if key.hasPrefix("destination.labels") { return "attribute \(key) is replaced by the workload selector" }
            return "unknown attribute: \(key)"
        }
    }
}

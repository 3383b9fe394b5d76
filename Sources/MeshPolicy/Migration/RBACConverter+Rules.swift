/// How one access rule and one subject become parts of an AuthorizationPolicy rule.
extension RBACConverter {
    /// An access rule, converted: the extra selector labels (`destination.labels`), the operation and conditions.
    struct Permission {
        var labels: [String: String] = [:]
        var operation = Operation()
        var conditions: [Condition] = []
    }

    /// A subject, converted: its `source` and the conditions it adds.
    struct Principal {
        var source = Source()
        var conditions: [Condition] = []
    }

    /// The permission of `rule`, or `nil` (with the reason in `problems`) when a constraint cannot be expressed:
    /// the rule is then dropped, so the policy allows less rather than more.
    static func permission(_ rule: LegacyRBAC.AccessRule, namespace: String, where place: String, problems: inout [String]) -> Permission? {
        var result = Permission()
        result.operation.hosts = nonEmpty(rule.hosts)
        result.operation.notHosts = nonEmpty(rule.notHosts)
        result.operation.paths = nonEmpty(rule.paths)
        result.operation.notPaths = nonEmpty(rule.notPaths)
        result.operation.methods = (rule.methods ?? []).contains("*") ? nil : nonEmpty(rule.methods)
        result.operation.notMethods = nonEmpty(rule.notMethods)
        result.operation.ports = nonEmpty(rule.ports?.map(String.init))
        result.operation.notPorts = nonEmpty(rule.notPorts?.map(String.init))
        for constraint in rule.constraints ?? [] {
            let key = constraint.key ?? ""
            let values = constraint.values ?? []
            func drop(_ why: String) -> Permission? {
                problems.append("\(place): constraint \(key) \(why): the access rule is dropped")
                return nil
            }
            if key.hasPrefix("destination.labels[") {
                guard let names = Attribute.bracketed(key.dropFirst("destination.labels".count)), names.count == 1 else { return drop("is malformed") }
                guard values.count == 1, !values[0].contains("*") else {
                    return drop("with values \(values) cannot be a workload selector (a selector takes one exact value)")
                }
                result.labels[names[0]] = values[0]
            } else if key == "destination.port" {
                guard values.allSatisfy({ Int($0).map { (0...65535).contains($0) } == true }) else { return drop("has a value that is not a port") }
                result.operation.ports = (result.operation.ports ?? []) + values
            } else if key == "destination.namespace" {
                guard values.contains(namespace) || values.contains("*") else {
                    return drop("never matches workloads of the role's namespace \(namespace)")
                }
            } else if key.hasPrefix("destination.") && key != "destination.ip" {
                return drop("has no AuthorizationPolicy equivalent")
            } else if Attribute(conditionKey: key) != nil, !values.isEmpty {
                result.conditions.append(Condition(key: key, values: values))
            } else {
                return drop("is not a condition AuthorizationPolicy knows")
            }
        }
        return result
    }

    /// The principal of `subject`, or `nil` (reported) when a property cannot be expressed; the subject is then
    /// dropped.
    static func principal(_ subject: LegacyRBAC.Subject, where place: String, problems: inout [String]) -> Principal? {
        var result = Principal()
        var source = Source()
        if let user = subject.user, !user.isEmpty, user != "*" { source.principals = [user] }
        source.principals = nonEmpty((source.principals ?? []) + (subject.names ?? []))
        source.notPrincipals = nonEmpty(subject.notNames)
        source.namespaces = nonEmpty(subject.namespaces)
        source.notNamespaces = nonEmpty(subject.notNamespaces)
        source.ipBlocks = nonEmpty(subject.ips)
        source.notIpBlocks = nonEmpty(subject.notIps)
        let groups = (subject.group.map { [$0] } ?? []) + (subject.groups ?? [])
        if !groups.isEmpty || !(subject.notGroups ?? []).isEmpty {
            result.conditions.append(Condition(key: "request.auth.claims[groups]", values: nonEmpty(groups), notValues: nonEmpty(subject.notGroups)))
        }
        for (key, value) in (subject.properties ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch key {
            case "source.namespace": source.namespaces = (source.namespaces ?? []) + [value]
            case "source.ip": source.ipBlocks = (source.ipBlocks ?? []) + [value]
            case "source.principal": source.principals = (source.principals ?? []) + [value]
            case "request.auth.principal": source.requestPrincipals = (source.requestPrincipals ?? []) + [value]
            default:
                guard Attribute(conditionKey: key) != nil else {
                    problems.append("\(place): property \(key) has no AuthorizationPolicy equivalent: the subject is dropped")
                    return nil
                }
                result.conditions.append(Condition(key: key, values: [value]))
            }
        }
        result.source = source
        return result
    }

    /// One rule of a permission for one principal.
    static func rule(_ permission: Permission, _ principal: Principal) -> AuthorizationRule {
        let conditions = permission.conditions + principal.conditions
        return AuthorizationRule(
            from: principal.source.isEmpty ? nil : [RuleFrom(source: principal.source)],
            to: permission.operation.isEmpty ? nil : [RuleTo(operation: permission.operation)],
            when: conditions.isEmpty ? nil : conditions)
    }

    static func nonEmpty(_ values: [String]?) -> [String]? {
        guard let values, !values.isEmpty else { return nil }
        return values
    }
}

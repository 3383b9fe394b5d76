/// One-line descriptions of AuthorizationPolicies, for `authz list`: where a policy applies and what it does.
public enum PolicySummary {
    /// `app=web`, `all workloads in foo`, `mesh-wide`, or the targetRefs.
    public static func scope(_ policy: Resource<AuthorizationPolicySpec>, rootNamespace: String) -> String {
        let spec = policy.spec
        let refs = (spec.targetRef.map { [$0] } ?? []) + (spec.targetRefs ?? [])
        if !refs.isEmpty { return refs.map { "\($0.kind ?? "?")/\($0.name ?? "?")" }.joined(separator: ",") }
        let labels = (spec.selector?.matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let namespace = policy.namespace ?? "default"
        if labels.isEmpty { return namespace == rootNamespace ? "mesh-wide" : "all workloads in \(namespace)" }
        return labels.joined(separator: ",") + (namespace == rootNamespace ? " (mesh-wide)" : "")
    }

    /// What the policy does: `denies every request`, `allows from namespaces [bar] to methods [GET]`, ….
    public static func effect(_ spec: AuthorizationPolicySpec) -> String {
        let action = AuthorizationAction(spec: spec.action)
        let verb: String
        switch action {
        case .allow?: verb = "allows"
        case .deny?: verb = "denies"
        case .audit?: verb = "audits"
        case .custom?: verb = "sends to \(spec.provider?.name ?? "?")"
        case nil: return "unknown action \(spec.action ?? "")"
        }
        let rules = (spec.rules ?? []).compactMap { $0 }
        if rules.isEmpty { return "\(verb) nothing (no rules)" }
        return rules.map { rule in
            let parts = from(rule) + to(rule) + when(rule)
            return parts.isEmpty ? "\(verb) every request" : "\(verb) " + parts.joined(separator: " ")
        }.joined(separator: " | ")
    }

    private static func list(_ name: String, _ values: [String]?) -> String? {
        guard let values, !values.isEmpty else { return nil }
        return "\(name) [\(values.joined(separator: ","))]"
    }

    private static func from(_ rule: AuthorizationRule) -> [String] {
        let sources = (rule.from ?? []).compactMap { $0?.source }.map { source in
            [list("principals", source.principals), list("notPrincipals", source.notPrincipals),
             list("requestPrincipals", source.requestPrincipals), list("notRequestPrincipals", source.notRequestPrincipals),
             list("namespaces", source.namespaces), list("notNamespaces", source.notNamespaces),
             list("serviceAccounts", source.serviceAccounts), list("notServiceAccounts", source.notServiceAccounts),
             list("trustDomains", source.trustDomains), list("notTrustDomains", source.notTrustDomains),
             list("ipBlocks", source.ipBlocks), list("notIpBlocks", source.notIpBlocks),
             list("remoteIpBlocks", source.remoteIpBlocks), list("notRemoteIpBlocks", source.notRemoteIpBlocks)]
                .compactMap { $0 }.joined(separator: " ")
        }
        return sources.isEmpty ? [] : ["from " + sources.joined(separator: " or ")]
    }

    private static func to(_ rule: AuthorizationRule) -> [String] {
        let operations = (rule.to ?? []).compactMap { $0?.operation }.map { operation in
            [list("hosts", operation.hosts), list("notHosts", operation.notHosts), list("methods", operation.methods),
             list("notMethods", operation.notMethods), list("paths", operation.paths), list("notPaths", operation.notPaths),
             list("ports", operation.ports), list("notPorts", operation.notPorts)]
                .compactMap { $0 }.joined(separator: " ")
        }
        return operations.isEmpty ? [] : ["to " + operations.joined(separator: " or ")]
    }

    private static func when(_ rule: AuthorizationRule) -> [String] {
        let conditions = (rule.when ?? []).compactMap { $0 }.map { condition in
            [list("\(condition.key ?? "?") in", condition.values), list("\(condition.key ?? "?") not in", condition.notValues)]
                .compactMap { $0 }.joined(separator: " and ")
        }
        return conditions.isEmpty ? [] : ["when " + conditions.joined(separator: " and ")]
    }
}

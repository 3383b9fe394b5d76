/// ServiceRoles with their bindings → ALLOW policies, one per workload selector.
extension RBACConverter {
    /// The ALLOW policies of role `name` (its access rules `rules`) given to the subjects of `bindings`.
    /// Enforced and PERMISSIVE bindings give separate policies, the latter in dry-run.
    func roleAllowPolicies(
        _ name: String, namespace: String, rules: [LegacyRBAC.AccessRule], bindings: [LegacyInput.Binding],
        services: ServiceSelectors, problems: inout [String]
    ) -> [Resource<AuthorizationPolicySpec>] {
        let place = "ServiceRole \(namespace)/\(name)"
        // Selector key → (a name for it, labels, permissions on it), in order of first appearance.
        var targets: [(key: String, label: String, labels: [String: String], permissions: [Permission])] = []
        for (index, rule) in rules.enumerated() {
            let where_ = "\(place) rule \(index)"
            guard let permission = Self.permission(rule, namespace: namespace, where: where_, problems: &problems) else { continue }
            for service in rule.services ?? ["*"] {
                let found: [(name: String, labels: [String: String])]
                switch services.resolve(service, namespace: namespace) {
                case .all: found = [("all", [:])]
                case .selectors(let selectors): found = selectors
                case .unresolved(let why):
                    problems.append("\(where_): \(why): not converted for that service")
                    continue
                }
                for (label, base) in found {
                    let labels = base.merging(permission.labels) { $1 }
                    let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    if let at = targets.firstIndex(where: { $0.key == key }) {
                        targets[at].permissions.append(permission)
                    } else {
                        targets.append((key, label, labels, [permission]))
                    }
                }
            }
        }
        var policies: [Resource<AuthorizationPolicySpec>] = []
        for permissive in [false, true] {
            let chosen = bindings.filter { $0.permissive == permissive }
            guard !chosen.isEmpty else { continue }
            var principals: [Principal] = []
            for binding in chosen {
                for (index, subject) in (binding.spec.subjects ?? []).enumerated() {
                    let where_ = "ServiceRoleBinding \(binding.namespace)/\(binding.name) subject \(index)"
                    if let principal = Self.principal(subject, where: where_, problems: &problems) { principals.append(principal) }
                }
            }
            if principals.isEmpty {
                problems.append("\(place): no subject of its \(permissive ? "PERMISSIVE " : "")bindings could be converted: no policy")
                continue
            }
            var used: Set<String> = []
            for target in targets {
                var policyName = targets.count == 1 ? name : "\(name)-\(target.label)"
                if permissive { policyName += "-permissive" }
                while used.contains(policyName) { policyName += "-\(used.count)" }
                used.insert(policyName)
                let rules = target.permissions.flatMap { permission in principals.map { Self.rule(permission, $0) } }
                policies.append(Self.policy(policyName, namespace: namespace, selector: target.labels, rules: rules, dryRun: permissive))
            }
        }
        return policies
    }
}

/// ClusterRbacConfig / RbacConfig → allow-nothing policies where RBAC was on, allow-all where it was off.
///
/// An ALLOW policy without rules allows nothing, so it turns on "deny unless some ALLOW policy matches" for the
/// workloads it selects; an ALLOW policy with one empty rule allows everything, so converted roles there deny
/// nothing, as when RBAC was off.
extension RBACConverter {
    func modePolicies(
        _ config: LegacyInput.Config?, roleNamespaces: Set<String>, services: ServiceSelectors,
        problems: inout [String], notes: inout [String]
    ) -> [Resource<AuthorizationPolicySpec>] {
        guard let config else {
            if !roleNamespaces.isEmpty {
                notes.append("no ClusterRbacConfig in the input: the policies take effect on the workloads they select (legacy RBAC was off without one; add it to the input to convert its mode)")
            }
            return []
        }
        let spec = config.spec
        let dryRun = spec.enforcementMode == "PERMISSIVE"
        let place = "ClusterRbacConfig \(config.name)"
        func denyAll(_ name: String, _ namespace: String, _ selector: [String: String]? = nil) -> Resource<AuthorizationPolicySpec> {
            Self.policy(name, namespace: namespace, selector: selector, rules: nil, dryRun: dryRun)
        }
        func allowAll(_ name: String, _ namespace: String, _ selector: [String: String]? = nil) -> Resource<AuthorizationPolicySpec> {
            Self.policy(name, namespace: namespace, selector: selector, rules: [AuthorizationRule()])
        }
        /// The policies `make` gives for each service host of `hosts` (`name.namespace…`).
        func perService(_ hosts: [String], _ make: (String, String, [String: String]) -> Resource<AuthorizationPolicySpec>) -> [Resource<AuthorizationPolicySpec>] {
            hosts.flatMap { host -> [Resource<AuthorizationPolicySpec>] in
                guard let namespace = ServiceSelectors.namespace(ofHost: host) else {
                    problems.append("\(place): service \(host) does not name its namespace (name.namespace.svc.cluster.local): not converted")
                    return []
                }
                switch services.resolve(host, namespace: namespace) {
                case .all: return [make("\(namespace)-all", namespace, [:])]
                case .selectors(let found): return found.map { make($0.name, namespace, $0.labels) }
                case .unresolved(let why):
                    problems.append("\(place): \(why): not converted")
                    return []
                }
            }
        }
        switch spec.mode ?? "OFF" {
        case "OFF":
            return [allowAll("global-allow-all", rootNamespace)]
        case "ON":
            return [denyAll("global-deny-all", rootNamespace)]
        case "ON_WITH_INCLUSION":
            let namespaces = spec.inclusion?.namespaces ?? []
            let hosts = spec.inclusion?.services ?? []
            var policies = namespaces.map { denyAll("\($0)-deny-all", $0) }
            policies += perService(hosts) { name, namespace, labels in denyAll("\(name)-deny-all", namespace, labels) }
            let partly = Set(hosts.compactMap(ServiceSelectors.namespace(ofHost:)))
            for namespace in roleNamespaces.subtracting(namespaces).sorted() {
                if partly.contains(namespace) {
                    problems.append("\(place): RBAC was on for some services of \(namespace) only; the converted roles of \(namespace) now apply to all its workloads")
                } else {
                    notes.append("\(place): RBAC was off in \(namespace): \(namespace)-allow-all keeps its converted roles without effect")
                    policies.append(allowAll("\(namespace)-allow-all", namespace))
                }
            }
            return policies
        case "ON_WITH_EXCLUSION":
            var policies = [denyAll("global-deny-all", rootNamespace)]
            policies += (spec.exclusion?.namespaces ?? []).map { allowAll("\($0)-allow-all", $0) }
            policies += perService(spec.exclusion?.services ?? []) { name, namespace, labels in allowAll("\(name)-allow-all", namespace, labels) }
            return policies
        default:
            problems.append("\(place): unknown mode \"\(spec.mode ?? "")\": not converted")
            return []
        }
    }
}

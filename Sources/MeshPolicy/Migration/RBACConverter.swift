import MeshCore

/// Turns legacy Istio RBAC (ServiceRole, ServiceRoleBinding, ClusterRbacConfig/RbacConfig) into
/// AuthorizationPolicies (`security.istio.io/v1beta1`) with the same effect, the way Istio's migration guide
/// maps them:
///
/// * each ServiceRole with bindings becomes ALLOW policies in its namespace, one per workload selector: the
///   role's `services` become the selector (read from Kubernetes Services given in the input), `destination.labels`
///   constraints join the selector;
/// * each (access rule, subject) pair becomes one rule: the access rule's methods, paths, hosts and ports are
///   `to.operation`, its other constraints `when`; the subject's user/names are `principals`, namespaces,
///   ips and `source.*`/`request.auth.principal` properties the matching `source` fields, group/groups and the
///   other properties `when` conditions;
/// * the ClusterRbacConfig mode becomes allow-nothing policies where RBAC was on (mesh-wide in the root
///   namespace for ON, per namespace for ON_WITH_INCLUSION) and allow-all policies where it was off.
///
/// A part that cannot be expressed is reported; an ALLOW rule is then dropped rather than widened (less is
/// allowed, never more). PERMISSIVE bindings and configs become dry-run policies.
public struct RBACConverter: Sendable {
    /// One input document and where it came from (for messages).
    public struct Document: Sendable {
        public var value: Value
        public var place: String
        public init(value: Value, place: String) {
            self.value = value
            self.place = place
        }
    }

    public static let apiVersion = "security.istio.io/v1beta1"

    /// The mesh's root namespace, where mesh-wide policies go.
    public var rootNamespace: String
    /// The namespace of objects that have none.
    public var defaultNamespace: String

    public init(rootNamespace: String = "istio-system", defaultNamespace: String = "default") {
        self.rootNamespace = rootNamespace
        self.defaultNamespace = defaultNamespace
    }

    /// Converts the RBAC objects among `documents`; Services are read for their selectors, other kinds are ignored.
    public func convert(_ documents: [Document]) throws(PolicyError) -> RBACConversion {
        let input = try LegacyInput(documents, defaultNamespace: defaultNamespace)
        var output = RBACConversion()
        output.problems = input.problems
        output.notes = input.notes
        var converted: Set<String> = []
        for (key, role) in input.roles.sorted(by: { $0.key < $1.key }) {
            let bindings = input.bindings[key] ?? []
            guard !bindings.isEmpty else {
                output.notes.append("ServiceRole \(key) has no ServiceRoleBinding: it granted nothing and is not converted")
                continue
            }
            let namespace = String(key.prefix { $0 != "/" })
            converted.insert(namespace)
            output.policies += roleAllowPolicies(role.name, namespace: namespace, rules: role.spec.rules ?? [], bindings: bindings, services: input.services, problems: &output.problems)
        }
        for key in input.bindings.keys.sorted() where input.roles[key] == nil && !key.hasPrefix("inline:") {
            output.problems.append("ServiceRoleBinding(s) \(input.bindings[key]!.map(\.name).joined(separator: ", ")) refer to ServiceRole \(key), which is not in the input: not converted")
        }
        for (key, bindings) in input.bindings.sorted(by: { $0.key < $1.key }) where key.hasPrefix("inline:") {
            let binding = bindings[0]
            converted.insert(binding.namespace)
            output.policies += roleAllowPolicies(binding.name, namespace: binding.namespace, rules: binding.inlineRules, bindings: bindings, services: input.services, problems: &output.problems)
        }
        if input.config?.spec.enforcementMode == "PERMISSIVE" {
            for index in output.policies.indices {
                output.policies[index].metadata.annotations = [CompiledPolicy.dryRunAnnotation: "true"]
            }
        }
        let mode = modePolicies(input.config, roleNamespaces: converted, services: input.services, problems: &output.problems, notes: &output.notes)
        output.policies = mode + output.policies
        return validated(output)
    }

    /// Drops (and reports) any policy Istio's validation would reject.
    private func validated(_ conversion: RBACConversion) -> RBACConversion {
        var result = conversion
        result.policies = conversion.policies.filter { policy in
            let errors = Validator.validate(.authorizationPolicy(policy)).filter { $0.severity == .error }
            guard let first = errors.first else { return true }
            result.problems.append("AuthorizationPolicy \(policy.namespace ?? "")/\(policy.name) would be invalid (\(first.path): \(first.message)): not emitted")
            return false
        }
        return result
    }

    /// A policy named `name` in `namespace`.
    static func policy(_ name: String, namespace: String, selector: [String: String]?, rules: [AuthorizationRule?]?, dryRun: Bool = false) -> Resource<AuthorizationPolicySpec> {
        let spec = AuthorizationPolicySpec(selector: selector.flatMap { $0.isEmpty ? nil : WorkloadSelector(matchLabels: $0) }, rules: rules)
        var metadata = ObjectMeta(name: name, namespace: namespace)
        if dryRun { metadata.annotations = [CompiledPolicy.dryRunAnnotation: "true"] }
        var resource = Resource(kind: .authorizationPolicy, metadata: metadata, spec: spec)
        resource.apiVersion = apiVersion
        return resource
    }
}

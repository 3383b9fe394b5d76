/// An AuthorizationPolicy compiled for evaluation: its scope, action and rules as matchers.
public struct CompiledPolicy: Sendable {
    /// The annotation that makes ALLOW and DENY policies evaluated but not enforced.
    public static let dryRunAnnotation = "istio.io/dry-run"

    public let reference: PolicyReference
    /// The extension provider of a CUSTOM policy.
    public let provider: String?
    /// Whether the policy is in dry-run mode (reported, never enforced).
    public private(set) var dryRun: Bool
    /// Values Istio would not translate (the rule or the value is then dropped, see `CompiledRule`).
    public let notes: [String]
    let selector: [String: String]
    let targetRefs: [PolicyTargetReference]
    let rules: [CompiledRule]

    /// Compiles `policy`; its namespace defaults to `defaultNamespace`. An unknown action is an error.
    public init(_ policy: Resource<AuthorizationPolicySpec>, defaultNamespace: String = "default") throws(PolicyError) {
        let spec = policy.spec
        guard let action = AuthorizationAction(spec: spec.action) else {
            throw PolicyError("unknown action \"\(spec.action ?? "")\", expected ALLOW, DENY, AUDIT or CUSTOM", path: "spec.action")
        }
        let namespace = policy.namespace ?? defaultNamespace
        reference = PolicyReference(namespace: namespace, name: policy.name, action: action)
        provider = spec.provider?.name
        let annotation = policy.metadata.annotations?[Self.dryRunAnnotation]
        dryRun = (action == .allow || action == .deny) && BoolText.parse(annotation) == true
        selector = spec.selector?.matchLabels ?? [:]
        targetRefs = (spec.targetRef.map { [$0] } ?? []) + (spec.targetRefs ?? [])
        var builder = MatcherBuilder(policyNamespace: namespace)
        var rules: [CompiledRule] = []
        for (index, rule) in (spec.rules ?? []).enumerated() {
            guard let rule else { continue }
            rules.append(CompiledRule(index: index, rule: rule, action: action, builder: &builder))
        }
        self.rules = rules
        notes = builder.invalid
    }

    /// The same policy as if it were enforced: what a shadow engine evaluates for a dry-run policy.
    public var enforced: CompiledPolicy {
        var copy = self
        copy.dryRun = false
        return copy
    }

    /// `nil` when the policy applies to `workload`, else why it does not.
    public func scopeMismatch(for workload: Workload, rootNamespace: String) -> String? {
        let namespace = reference.namespace
        guard namespace == workload.namespace || namespace == rootNamespace else {
            return "in namespace \(namespace), not the workload's (\(workload.namespace)) or the root namespace (\(rootNamespace))"
        }
        if !targetRefs.isEmpty {
            let gatewayName = workload.labels["gateway.networking.k8s.io/gateway-name"]
            let attached = targetRefs.contains { ref in ref.kind == "Gateway" && ref.name != nil && ref.name == gatewayName }
            return attached ? nil : "attached by targetRef to \(targetRefs.map { "\($0.kind ?? "?")/\($0.name ?? "?")" }.joined(separator: ", ")), not to this workload"
        }
        for (key, value) in selector where workload.labels[key] != value {
            return "selector \(key)=\(value) does not match the workload's labels"
        }
        return nil
    }

    /// The index of the first matching rule, if any.
    @inline(__always)
    func firstMatch(_ request: PreparedRequest) -> Int? {
        let action = reference.action
        // Iterating the buffer borrows each rule: no reference counting per rule.
        return rules.withUnsafeBufferPointer { rules in
            for position in rules.indices where rules[position].matches(request, action: action) { return rules[position].index }
            return nil
        }
    }

    /// The reasons no rule matched (one per rule), or the note that there are no rules.
    func failures(_ request: PreparedRequest) -> [String] {
        if rules.isEmpty {
            return ["no rules: a policy without rules matches nothing"]
        }
        return rules.compactMap { $0.failure(request, action: reference.action) }
    }
}

/// Go's `strconv.ParseBool` spellings.
enum BoolText {
    static func parse(_ text: String?) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}

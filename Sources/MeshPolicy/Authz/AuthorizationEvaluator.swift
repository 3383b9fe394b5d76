/// Evaluates Istio AuthorizationPolicies for one request, with an explanation.
///
/// The semantics are Istio's: the policies that apply are those in the root (mesh) namespace and in the
/// workload's namespace whose selector matches the workload's labels (no selector: every workload). CUSTOM
/// policies are checked first: a match sends the request to the extension provider, which may deny it. Then any
/// matching DENY policy denies. Then, if no ALLOW policy applies, the request is allowed; if some apply, it is
/// allowed only when one of them matches. AUDIT policies never change the outcome. Dry-run policies are
/// evaluated and reported but not enforced.
public struct AuthorizationEvaluator: Sendable {
    /// The mesh's root namespace (`istio-system` unless configured otherwise).
    public var rootNamespace: String
    /// What the extension provider of a matching CUSTOM policy answers; offline there is none, so the default
    /// assumes it allows and the explanation says so.
    public var customProviderAllows: @Sendable (String) -> Bool
    /// The policies, in evaluation order (CUSTOM, DENY, ALLOW, AUDIT; then namespace and name).
    public let policies: [CompiledPolicy]

    public init(
        policies: [CompiledPolicy], rootNamespace: String = "istio-system",
        customProviderAllows: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        let order: [AuthorizationAction] = [.custom, .deny, .allow, .audit]
        self.policies = policies.sorted {
            (order.firstIndex(of: $0.reference.action)!, $0.reference.namespace, $0.reference.name)
                < (order.firstIndex(of: $1.reference.action)!, $1.reference.namespace, $1.reference.name)
        }
        self.rootNamespace = rootNamespace
        self.customProviderAllows = customProviderAllows
    }

    /// The decision for `request` addressed to `workload`.
    public func evaluate(_ request: AuthzRequest, for workload: Workload) -> AuthorizationDecision {
        let prepared = PreparedRequest(request)
        var evaluations: [PolicyEvaluation] = []
        var inScope: [AuthorizationAction: [(CompiledPolicy, Int?)]] = [:]
        for policy in policies {
            if let mismatch = policy.scopeMismatch(for: workload, rootNamespace: rootNamespace) {
                evaluations.append(PolicyEvaluation(policy: policy.reference, applies: false, matchedRule: nil, dryRun: policy.dryRun, explanation: "does not apply: \(mismatch)"))
                continue
            }
            let match = policy.firstMatch(prepared)
            var explanation = match.map { "rule \($0) matched" } ?? "no rule matched: " + policy.failures(prepared).joined(separator: "; ")
            if policy.dryRun { explanation += " (dry run: not enforced)" }
            evaluations.append(PolicyEvaluation(policy: policy.reference, applies: true, matchedRule: match, dryRun: policy.dryRun, explanation: explanation))
            if !policy.dryRun { inScope[policy.reference.action, default: []].append((policy, match)) }
        }
        func decision(_ verdict: AuthorizationDecision.Verdict, _ policy: CompiledPolicy?, _ rule: Int?, _ reason: String) -> AuthorizationDecision {
            AuthorizationDecision(verdict: verdict, policy: policy?.reference, rule: rule, reason: reason, evaluations: evaluations)
        }
        for (policy, rule) in inScope[.custom] ?? [] {
            guard let rule else { continue }
            let provider = policy.provider ?? ""
            if !customProviderAllows(provider) {
                return decision(.deny, policy, rule, "CUSTOM policy \(policy.reference) matched and its provider \"\(provider)\" denied the request")
            }
            if let index = evaluations.firstIndex(where: { $0.policy == policy.reference }) {
                evaluations[index].explanation += "; the request goes to provider \"\(provider)\" (assumed to allow)"
            }
        }
        if let (policy, rule) = (inScope[.deny] ?? []).first(where: { $0.1 != nil }) {
            return decision(.deny, policy, rule, "DENY policy \(policy.reference) rule \(rule!) matched")
        }
        let allows = inScope[.allow] ?? []
        if allows.isEmpty {
            return decision(.allow, nil, nil, "no ALLOW policy applies to the workload, and no DENY policy matched")
        }
        if let (policy, rule) = allows.first(where: { $0.1 != nil }) {
            return decision(.allow, policy, rule, "ALLOW policy \(policy.reference) rule \(rule!) matched")
        }
        return decision(.deny, nil, nil, "\(allows.count) ALLOW \(allows.count == 1 ? "policy applies" : "policies apply") to the workload and none matched")
    }
}

/// The compiled form the proxy uses: the policies of one workload, split by action, answering allow or deny
/// without building explanations.
///
/// It gives the same verdicts as `AuthorizationEvaluator` (a test checks this on every table case); it just
/// skips the bookkeeping. Build it once per workload, then call `decide` per request.
public struct AuthorizationEngine: Sendable {
    /// A verdict and the policy that decided (an index into `policies`, or -1).
    public struct Verdict: Sendable, Hashable {
        public var allowed: Bool
        public var policyIndex: Int
    }

    /// The policies in scope, in the order of `custom`, `deny`, `allow`.
    public let policies: [CompiledPolicy]
    private let customCount: Int
    private let denyEnd: Int
    private let hasAllow: Bool
    private let customProviderAllows: @Sendable (String) -> Bool
    /// The AUDIT policies in scope: they never change a verdict, a match is only reported.
    public let auditPolicies: [CompiledPolicy]

    /// Candidate rules by method, port and path, for workloads with many rules (`nil`: scan them all).
    private let index: RuleIndex?

    /// Keeps the enforced policies of `policies` that apply to `workload`. With `indexThreshold` rules or more,
    /// HTTP requests are checked only against the rules an index finds for their method, port and path.
    public init(
        policies: [CompiledPolicy], workload: Workload, rootNamespace: String = "istio-system",
        customProviderAllows: @escaping @Sendable (String) -> Bool = { _ in true }, indexThreshold: Int = 16
    ) {
        let applicable = policies.filter { !$0.dryRun && $0.scopeMismatch(for: workload, rootNamespace: rootNamespace) == nil }
        let key: (CompiledPolicy) -> (Int, String, String) = { policy in
            let rank = [AuthorizationAction.custom, .deny, .allow, .audit].firstIndex(of: policy.reference.action)!
            return (rank, policy.reference.namespace, policy.reference.name)
        }
        let ordered = applicable.filter { $0.reference.action != .audit }.sorted { key($0) < key($1) }
        self.policies = ordered
        auditPolicies = applicable.filter { $0.reference.action == .audit }.sorted { key($0) < key($1) }
        customCount = ordered.prefix { $0.reference.action == .custom }.count
        denyEnd = customCount + ordered.dropFirst(customCount).prefix { $0.reference.action == .deny }.count
        hasAllow = denyEnd < ordered.count
        self.customProviderAllows = customProviderAllows
        let ruleCount = ordered.reduce(0) { $0 + $1.rules.count }
        index = ruleCount >= indexThreshold ? RuleIndex(ordered) : nil
    }

    /// The verdict for a prepared request.
    @inline(__always)
    public func decide(_ request: PreparedRequest) -> Verdict {
        if let index, !request.isTCP { return index.decide(request, self) }
        // The closure captures these, not a copy of the engine.
        let customCount = customCount, denyEnd = denyEnd, hasAllow = hasAllow, customProviderAllows = customProviderAllows
        return policies.withUnsafeBufferPointer { policies in
            var index = 0
            while index < customCount {
                if policies[index].firstMatch(request) != nil, !customProviderAllows(policies[index].provider ?? "") {
                    return Verdict(allowed: false, policyIndex: index)
                }
                index += 1
            }
            while index < denyEnd {
                if policies[index].firstMatch(request) != nil { return Verdict(allowed: false, policyIndex: index) }
                index += 1
            }
            guard hasAllow else { return Verdict(allowed: true, policyIndex: -1) }
            while index < policies.count {
                if policies[index].firstMatch(request) != nil { return Verdict(allowed: true, policyIndex: index) }
                index += 1
            }
            return Verdict(allowed: false, policyIndex: -1)
        }
    }

    /// The verdict once the rules that matched are known, in engine order: what a matching rule of policy
    /// `position` means (`nil`: go on — a CUSTOM policy whose provider allows).
    @inline(__always)
    func verdict(matching position: Int) -> Verdict? {
        if position < customCount {
            return customProviderAllows(policies[position].provider ?? "") ? nil : Verdict(allowed: false, policyIndex: position)
        }
        return Verdict(allowed: position >= denyEnd, policyIndex: position)
    }

    /// The first CUSTOM policy with a rule that matches `request` (the request goes to its provider), if any.
    public func matchingCustomPolicy(_ request: PreparedRequest) -> CompiledPolicy? {
        policies.prefix(customCount).first { $0.firstMatch(request) != nil }
    }

    /// The verdict when no rule decided.
    var noMatch: Verdict { Verdict(allowed: !hasAllow, policyIndex: -1) }

    /// The first AUDIT policy with a matching rule (the request should be logged), if any.
    public func audit(_ request: PreparedRequest) -> PolicyReference? {
        for policy in auditPolicies where policy.firstMatch(request) != nil { return policy.reference }
        return nil
    }

    /// Whether no policy applies at all (every request is allowed and nothing is audited).
    public var isEmpty: Bool { policies.isEmpty && auditPolicies.isEmpty }

    /// The verdict for a request.
    public func decide(_ request: AuthzRequest) -> Verdict {
        decide(PreparedRequest(request))
    }
}

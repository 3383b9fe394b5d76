import MeshCore

/// The answer to "would this request be allowed, and why?".
public struct AuthorizationDecision: Sendable, Hashable {
    /// Allowed or denied.
    public enum Verdict: String, Sendable, Hashable {
        case allow = "ALLOW"
        case deny = "DENY"
    }

    public var verdict: Verdict
    /// The policy that decided, if one did (none when no ALLOW policy applies, or none matched).
    public var policy: PolicyReference?
    /// The rule of that policy that matched.
    public var rule: Int?
    /// One sentence: why this verdict.
    public var reason: String
    /// Every policy considered, in evaluation order, with what happened to it.
    public var evaluations: [PolicyEvaluation]

    public var isAllowed: Bool { verdict == .allow }

    /// Matching AUDIT policies (the request would be logged).
    public var audited: [PolicyReference] {
        evaluations.filter { $0.policy.action == .audit && $0.matchedRule != nil }.map(\.policy)
    }

    /// The decision as a document for `-o json|yaml`.
    public var value: Value {
        var object: Value.Object = ["decision": .string(verdict.rawValue), "reason": .string(reason)]
        object["policy"] = policy.map { .string($0.description) } ?? .null
        object["action"] = policy.map { .string($0.action.rawValue) } ?? .null
        object["rule"] = rule.map { .int($0) } ?? .null
        object["audited"] = .array(audited.map { .string($0.description) })
        object["policies"] = .array(evaluations.map(\.value))
        return .object(object)
    }
}

/// What happened to one policy during an evaluation.
public struct PolicyEvaluation: Sendable, Hashable {
    public var policy: PolicyReference
    /// Whether the policy applies to the workload.
    public var applies: Bool
    /// The rule that matched, if one did.
    public var matchedRule: Int?
    /// Whether the policy is in dry-run mode.
    public var dryRun: Bool
    /// Why it did or did not apply or match.
    public var explanation: String

    /// The evaluation as a document.
    public var value: Value {
        [
            "policy": .string(policy.description), "action": .string(policy.action.rawValue), "applies": .bool(applies),
            "matchedRule": matchedRule.map { .int($0) } ?? .null, "dryRun": .bool(dryRun), "explanation": .string(explanation),
        ]
    }
}

/// One rule of a policy, compiled: any source group, any operation group and every condition must match. A class,
/// so the engine and its index share rules and pass one reference around.
final class CompiledRule: Sendable {
    /// The rule's position in `rules`.
    let index: Int
    /// One group per `from` entry; `nil` when the rule has no `from` (matches every source).
    let sources: [[AttributeMatcher]]?
    /// One group per `to` entry; `nil` when the rule has no `to`.
    let operations: [[AttributeMatcher]]?
    let conditions: [AttributeMatcher]
    /// Why the rule can never match (an ALLOW rule with a value Istio cannot translate), if so.
    let disabled: String?
    /// Whether any field is HTTP-only.
    let hasHTTPOnly: Bool

    init(index: Int, rule: AuthorizationRule, action: AuthorizationAction, builder: inout MatcherBuilder) {
        self.index = index
        let before = builder.invalid.count
        sources = rule.from.flatMap { $0.isEmpty ? nil : $0 }.map { entries in entries.map { entry in entry?.source.map { builder.source($0) } ?? [] } }
        operations = rule.to.flatMap { $0.isEmpty ? nil : $0 }.map { entries in entries.map { entry in entry?.operation.map { builder.operation($0) } ?? [] } }
        conditions = (rule.when ?? []).flatMap { condition in condition.map { builder.condition($0) } ?? [] }
        let problems = builder.invalid[before...]
        // Istio drops an ALLOW rule it cannot translate (less is allowed) and drops only the bad values of other
        // actions (more is denied or audited).
        disabled = action == .allow && !problems.isEmpty ? problems.joined(separator: "; ") : nil
        let all: [AttributeMatcher] = Array((sources ?? []).joined()) + Array((operations ?? []).joined()) + conditions
        hasHTTPOnly = all.contains { $0.attribute.isHTTPOnly }
    }

    /// Whether the rule matches, for a policy with `action`.
    @inline(__always)
    func matches(_ request: PreparedRequest, action: AuthorizationAction) -> Bool {
        if disabled != nil { return false }
        let tcp = request.isTCP
        if tcp && hasHTTPOnly && action == .allow { return false }
        if !conditions.withUnsafeBufferPointer({ Self.allMatch($0, request, tcp) }) { return false }
        if let sources, !Self.anyGroup(sources, request, tcp) { return false }
        if let operations, !Self.anyGroup(operations, request, tcp) { return false }
        return true
    }

    /// Whether every matcher of `group` matches (HTTP-only ones are skipped on TCP). Elements are borrowed from
    /// the buffer, so matching does no reference counting.
    @inline(__always)
    private static func allMatch(_ group: UnsafeBufferPointer<AttributeMatcher>, _ request: PreparedRequest, _ tcp: Bool) -> Bool {
        for position in group.indices where !(tcp && group[position].isHTTPOnly) {
            if !group[position].matches(request) { return false }
        }
        return true
    }

    /// `nil` when the rule matches, else why not.
    func failure(_ request: PreparedRequest, action: AuthorizationAction) -> String? {
        if let disabled { return "rule \(index) is ignored: \(disabled)" }
        let tcp = request.isTCP
        if tcp && hasHTTPOnly && action == .allow {
            return "rule \(index) is ignored for TCP traffic: it uses HTTP-only fields"
        }
        for matcher in conditions where !(tcp && matcher.attribute.isHTTPOnly) && !matcher.matches(request) {
            return "rule \(index): when \(matcher.failure(request))"
        }
        if let sources, !Self.anyGroup(sources, request, tcp) {
            return "rule \(index): " + Self.groupFailure("from", sources, request, tcp)
        }
        if let operations, !Self.anyGroup(operations, request, tcp) {
            return "rule \(index): " + Self.groupFailure("to", operations, request, tcp)
        }
        return nil
    }

    @inline(__always)
    private static func anyGroup(_ groups: [[AttributeMatcher]], _ request: PreparedRequest, _ tcp: Bool) -> Bool {
        groups.withUnsafeBufferPointer { groups in
            for position in groups.indices where groups[position].withUnsafeBufferPointer({ allMatch($0, request, tcp) }) { return true }
            return false
        }
    }

    private static func groupFailure(_ name: String, _ groups: [[AttributeMatcher]], _ request: PreparedRequest, _ tcp: Bool) -> String {
        let reasons = groups.enumerated().compactMap { index, group -> String? in
            group.first { !(tcp && $0.attribute.isHTTPOnly) && !$0.matches(request) }.map { "\(name)[\(index)] \($0.failure(request))" }
        }
        return reasons.joined(separator: "; ")
    }
}

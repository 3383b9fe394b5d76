import MeshPolicy
import Testing

/// Which policies apply and in which order actions decide (Istio: CUSTOM, then DENY, then ALLOW; AUDIT never
/// decides; no ALLOW policy means allow; ALLOW policies present and none matching means deny).
@Suite struct AuthzOrderTests {
    typealias T = AuthzTable

    static let rows: [AuthzCase] = [
        AuthzCase(name: "no policies: allowed", policies: [], request: T.get(), expected: .allow),
        AuthzCase(name: "ALLOW with empty spec denies everything", policies: [T.policy("allow-nothing", "ALLOW")], request: T.get(), expected: .deny),
        AuthzCase(name: "ALLOW with one empty rule allows everything", policies: [T.policy("allow-all", "ALLOW", "rules: [{}]")], request: T.get(principal: nil), expected: .allow, policy: "foo/allow-all", rule: 0),
        AuthzCase(name: "DENY with one empty rule denies everything", policies: [T.policy("deny-all", "DENY", "rules: [{}]")], request: T.get(), expected: .deny, policy: "foo/deny-all", rule: 0),
        AuthzCase(name: "DENY without rules matches nothing", policies: [T.policy("deny-none", "DENY")], request: T.get(), expected: .allow),
        AuthzCase(name: "DENY overrides a matching ALLOW", policies: [T.allow("[{}]"), T.deny("[{to: [{operation: {methods: [GET]}}]}]")], request: T.get(), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "matching ALLOW allows", policies: [T.allow("[{to: [{operation: {methods: [GET]}}]}]")], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "ALLOW present and not matching denies", policies: [T.allow("[{to: [{operation: {methods: [POST]}}]}]")], request: T.get(), expected: .deny),
        AuthzCase(name: "second ALLOW policy matches", policies: [T.allow("[{to: [{operation: {methods: [POST]}}]}]", name: "a-post"), T.allow("[{to: [{operation: {methods: [GET]}}]}]", name: "b-get")], request: T.get(), expected: .allow, policy: "foo/b-get", rule: 0),
        AuthzCase(name: "policy in another namespace does not apply", policies: [T.policy("deny-all", "DENY", "rules: [{}]", namespace: "bar")], request: T.get(), expected: .allow),
        AuthzCase(name: "root namespace policy without selector applies mesh-wide", policies: [T.policy("mesh-deny", "DENY", "rules: [{}]", namespace: "istio-system")], request: T.get(), expected: .deny, policy: "istio-system/mesh-deny", rule: 0),
        AuthzCase(name: "root namespace policy with a matching selector applies in any namespace", policies: [T.policy("mesh-allow", "ALLOW", "selector: {matchLabels: {app: httpbin}}, rules: [{to: [{operation: {paths: [/admin]}}]}]", namespace: "istio-system")], request: T.get("/"), expected: .deny),
        AuthzCase(name: "selector that does not match: policy ignored", policies: [T.policy("other", "DENY", "selector: {matchLabels: {app: productpage}}, rules: [{}]")], request: T.get(), expected: .allow),
        AuthzCase(name: "selector must match every label", policies: [T.policy("v2-only", "DENY", "selector: {matchLabels: {app: httpbin, version: v2}}, rules: [{}]")], request: T.get(), expected: .allow),
        AuthzCase(name: "namespace-wide policy (no selector) applies", policies: [T.policy("ns-allow", "ALLOW", "rules: [{from: [{source: {namespaces: [bar]}}]}]")], request: T.get(), expected: .deny),
        AuthzCase(name: "AUDIT never decides", policies: [T.policy("audit-all", "AUDIT", "rules: [{}]")], request: T.get(), expected: .allow),
        AuthzCase(name: "CUSTOM match with a provider that allows: continue to ALLOW", policies: [T.policy("ext", "CUSTOM", "provider: {name: opa}, rules: [{to: [{operation: {paths: [/admin]}}]}]"), T.allow("[{to: [{operation: {paths: [/public]}}]}]")], request: T.get("/admin"), expected: .deny),
        AuthzCase(name: "CUSTOM match with a provider that denies", policies: [T.policy("ext", "CUSTOM", "provider: {name: opa}, rules: [{to: [{operation: {paths: [/admin]}}]}]")], request: T.get("/admin"), expected: .deny, policy: "foo/ext", rule: 0, providerAllows: false),
        AuthzCase(name: "CUSTOM not matching never calls the provider", policies: [T.policy("ext", "CUSTOM", "provider: {name: opa}, rules: [{to: [{operation: {paths: [/admin]}}]}]")], request: T.get("/public"), expected: .allow, providerAllows: false),
        AuthzCase(name: "CUSTOM is checked before DENY", policies: [T.policy("ext", "CUSTOM", "provider: {name: opa}, rules: [{}]"), T.deny("[{}]")], request: T.get(), expected: .deny, policy: "foo/ext", rule: 0, providerAllows: false),
        AuthzCase(name: "dry-run DENY is not enforced", policies: [T.policy("dry", "DENY", "rules: [{}]", annotations: "\"istio.io/dry-run\": \"true\"")], request: T.get(), expected: .allow),
        AuthzCase(name: "dry-run ALLOW does not count as an ALLOW policy", policies: [T.policy("dry", "ALLOW", "rules: [{to: [{operation: {methods: [POST]}}]}]", annotations: "\"istio.io/dry-run\": \"true\"")], request: T.get(), expected: .allow),
        AuthzCase(name: "root namespace DENY beats a workload namespace ALLOW", policies: [T.allow("[{}]"), T.policy("mesh-deny", "DENY", "rules: [{to: [{operation: {paths: [/secret]}}]}]", namespace: "istio-system")], request: T.get("/secret"), expected: .deny, policy: "istio-system/mesh-deny", rule: 0),
        AuthzCase(name: "targetRef to a Service does not select pods", policies: [T.policy("svc", "DENY", "targetRef: {kind: Service, group: \"\", name: httpbin}, rules: [{}]")], request: T.get(), expected: .allow),
        AuthzCase(name: "the deciding rule is the first that matches", policies: [T.allow("[{to: [{operation: {methods: [PUT]}}]}, {to: [{operation: {methods: [POST]}}]}, {to: [{operation: {methods: [GET]}}]}]")], request: T.get(), expected: .allow, policy: "foo/allow", rule: 2),
    ]

    @Test(arguments: rows) func row(_ row: AuthzCase) throws {
        try AuthzTable.check(row)
    }

    @Test func theEngineNamesTheCustomPolicyWhoseRulesMatch() throws {
        let policies = try AuthzTable.compile([
            AuthzTable.policy("ext", "CUSTOM", "provider: {name: opa}, rules: [{to: [{operation: {paths: [/admin*]}}]}]"),
            AuthzTable.deny("[{}]"),
        ])
        let engine = AuthorizationEngine(policies: policies, workload: Workload(namespace: "foo"))
        #expect(engine.matchingCustomPolicy(PreparedRequest(AuthzTable.get("/admin/users")))?.reference.description == "foo/ext")
        #expect(engine.matchingCustomPolicy(PreparedRequest(AuthzTable.get("/public"))) == nil, "DENY policies are not CUSTOM")
    }

    @Test func auditMatchesAreReported() throws {
        let policies = try AuthzTable.compile([AuthzTable.policy("audit-all", "AUDIT", "rules: [{}]")])
        let decision = AuthorizationEvaluator(policies: policies).evaluate(AuthzTable.get(), for: Workload(namespace: "foo"))
        #expect(decision.audited.map(\.description) == ["foo/audit-all"])
    }

    @Test func explanationsSayWhyEachPolicyDidNotDecide() throws {
        let policies = try AuthzTable.compile([
            AuthzTable.allow("[{from: [{source: {principals: [cluster.local/ns/bar/sa/client]}}]}]"),
            AuthzTable.policy("elsewhere", "DENY", "rules: [{}]", namespace: "bar"),
        ])
        let decision = AuthorizationEvaluator(policies: policies).evaluate(AuthzTable.get(), for: Workload(namespace: "foo", labels: ["app": "httpbin"]))
        #expect(decision.verdict == .deny)
        #expect(decision.reason == "1 ALLOW policy applies to the workload and none matched")
        let allow = try #require(decision.evaluations.first { $0.policy.name == "allow" })
        #expect(allow.explanation.contains("principals [cluster.local/ns/bar/sa/client] did not match source principal \"cluster.local/ns/foo/sa/sleep\""))
        let other = try #require(decision.evaluations.first { $0.policy.name == "elsewhere" })
        #expect(!other.applies)
        #expect(other.explanation.hasPrefix("does not apply: in namespace bar"))
    }
}

import MeshCore
import MeshPolicy
import Testing

/// `authz allow|deny` policies: the object they give, that Istio would accept it, and what it decides.
@Suite struct PolicyDraftTests {
    static func draft(_ action: AuthorizationAction = .allow, _ edit: (inout PolicyDraft) -> Void) -> PolicyDraft {
        var draft = PolicyDraft(name: "p", namespace: "foo", action: action)
        draft.selector = ["app": "httpbin"]
        edit(&draft)
        return draft
    }

    static func decide(_ draft: PolicyDraft, _ request: AuthzRequest) throws -> Bool {
        let evaluator = AuthorizationEvaluator(policies: [try CompiledPolicy(draft.resource())])
        return evaluator.evaluate(request, for: Workload(namespace: "foo", labels: ["app": "httpbin"])).isAllowed
    }

    @Test func flagsBecomeOneRule() throws {
        let draft = Self.draft {
            $0.principals = ["cluster.local/ns/foo/sa/sleep"]
            $0.namespaces = ["bar"]
            $0.methods = ["GET", "HEAD"]
            $0.paths = ["/api/*"]
            $0.ports = ["8080"]
            $0.conditions = [Condition(key: "request.auth.claims[groups]", values: ["admin"])]
        }
        let expected = try YAML.parse("""
            {selector: {matchLabels: {app: httpbin}}, action: ALLOW, rules: [{
              from: [{source: {principals: [cluster.local/ns/foo/sa/sleep], namespaces: [bar]}}],
              to: [{operation: {methods: [GET, HEAD], paths: ["/api/*"], ports: ["8080"]}}],
              when: [{key: "request.auth.claims[groups]", values: [admin]}]}]}
            """)
        #expect(draft.resource().value["spec"] == expected)
        #expect(draft.resource().value["metadata"] == ["name": "p", "namespace": "foo"])
        #expect(draft.problems().isEmpty)
    }

    @Test func noFieldsMatchesEverything() throws {
        let deny = Self.draft(.deny) { _ in }
        #expect(deny.resource().value["spec"]?["rules"] == [[:]])
        #expect(try !Self.decide(deny, AuthzRequest(method: "GET", path: "/")))
        let allow = Self.draft(.allow) { $0.selector = [:] }
        #expect(allow.resource().value["spec"]?["selector"] == nil)
        #expect(try Self.decide(allow, AuthzRequest(method: "DELETE", path: "/x")))
    }

    @Test func theGeneratedPolicyDecidesAsWritten() throws {
        let allow = Self.draft { $0.requestPrincipals = ["https://idp/*"]; $0.methods = ["POST"]; $0.conditions = [try! PolicyDraft.condition("request.auth.claims[groups]=admin")] }
        #expect(try Self.decide(allow, AuthzRequest(method: "POST", path: "/", requestPrincipal: "https://idp/alice", claims: ["groups": ["admin", "dev"]])))
        #expect(try !Self.decide(allow, AuthzRequest(method: "POST", path: "/", requestPrincipal: "https://idp/alice", claims: ["groups": ["dev"]])))
        #expect(try !Self.decide(allow, AuthzRequest(method: "GET", path: "/", requestPrincipal: "https://idp/alice", claims: ["groups": ["admin"]])))
        let deny = Self.draft(.deny) { $0.paths = ["/admin*"]; $0.conditions = [try! PolicyDraft.condition("source.namespace!=foo")] }
        #expect(try !Self.decide(deny, AuthzRequest(method: "GET", path: "/admin/x", sourcePrincipal: "cluster.local/ns/bar/sa/x")))
        #expect(try Self.decide(deny, AuthzRequest(method: "GET", path: "/admin/x", sourcePrincipal: "cluster.local/ns/foo/sa/x")))
    }

    @Test(arguments: [
        ("request.auth.claims[groups]=admin", Condition(key: "request.auth.claims[groups]", values: ["admin"])),
        ("source.namespace!=foo,bar", Condition(key: "source.namespace", notValues: ["foo", "bar"])),
        ("request.headers[x=y]=1", Condition(key: "request.headers[x=y]", values: ["1"])),
        ("source.ip=10.0.0.0/8,192.168.0.1", Condition(key: "source.ip", values: ["10.0.0.0/8", "192.168.0.1"])),
    ])
    func conditions(_ text: String, _ expected: Condition) throws {
        #expect(try PolicyDraft.condition(text) == expected)
    }

    @Test(arguments: ["no-value", "=x", "key=", "key!=", "request.auth.claims[groups=admin"])
    func badConditions(_ text: String) {
        #expect(throws: PolicyError.self) { try PolicyDraft.condition(text) }
    }

    @Test func problemsIstioWouldReject() {
        #expect(Self.draft { $0.conditions = [Condition(key: "request.bogus", values: ["x"])] }.problems().contains { $0.path.contains("when") })
        #expect(Self.draft { $0.principals = [""] }.problems().isEmpty == false)
        #expect(Self.draft { $0.name = "Bad_Name" }.problems().contains { $0.path == "metadata.name" })
        #expect(Self.draft { $0.namespace = "a.b" }.problems().contains { $0.path == "metadata.namespace" })
        #expect(Self.draft { $0.conditions = [Condition(key: "source.ip", values: ["not-an-ip"])] }.problems().isEmpty == false)
    }
}

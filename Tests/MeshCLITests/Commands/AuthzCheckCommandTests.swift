import Foundation
import MeshCLI
import MeshCore
import MeshTestSupport
import Testing

/// `meshctl authz check` offline, against policy files.
@Suite struct AuthzCheckCommandTests {
    static let policies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-sleep, namespace: foo}
        spec:
          selector: {matchLabels: {app: httpbin}}
          rules:
          - from: [{source: {principals: [cluster.local/ns/foo/sa/sleep]}}]
            to: [{operation: {methods: [GET], paths: ["/api/*"]}}]
          - when: [{key: "request.auth.claims[groups]", values: [admin]}]
        ---
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: foo}
        spec:
          action: DENY
          rules: [{to: [{operation: {paths: ["/api/admin*"]}}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ignored}
        """

    let files: KubeconfigFiles
    let path: String

    init() throws {
        files = try KubeconfigFiles()
        path = try files.write("policies/authz.yaml", Self.policies)
    }

    func check(_ extra: [String]) async -> InProcess.Result {
        await InProcess.run(["authz", "check", "-n", "foo", "--labels", "app=httpbin", "--policies", path, "--kubeconfig", "/nonexistent"] + extra)
    }

    @Test func allowedRequestExitsZeroAndNamesThePolicyAndRule() async {
        let result = await check(["--request", "GET /api/users", "--principal", "cluster.local/ns/foo/sa/sleep"])
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("ALLOWED: ALLOW policy foo/allow-sleep rule 0 matched\nPolicy: foo/allow-sleep (ALLOW), rule 0\n"))
        #expect(result.standardError.isEmpty)
    }

    @Test func deniedRequestExits79WithTheExplanation() async {
        let result = await check(["--request", "POST /api/users", "--principal", "cluster.local/ns/foo/sa/sleep"])
        #expect(result.code == .problemsFound)
        #expect(result.standardOutput.hasPrefix("DENIED: 1 ALLOW policy applies to the workload and none matched\n"))
        #expect(result.standardOutput.contains("rule 0: to[0] methods [GET] did not match method \"POST\""))
        #expect(result.standardOutput.contains("rule 1: when request.auth.claims[groups] [admin] did not match claim groups = (none)"))
    }

    @Test func denyOverridesAndJSONNamesDecisionPolicyRule() async throws {
        let result = await check(["--request", "GET /api/admin", "--principal", "cluster.local/ns/foo/sa/sleep", "-o", "json"])
        #expect(result.code == .problemsFound)
        let value = try JSON.parse(result.standardOutput)
        #expect(value["decision"] == "DENY")
        #expect(value["policy"] == "foo/deny-admin")
        #expect(value["rule"] == 0)
        #expect(value["workload"]?["labels"] == ["app": "httpbin"])
    }

    @Test func listValuedClaimsFromJSON() async {
        let result = await check(["--request", "DELETE /x", "--request-principal", "https://idp/alice", "--claims", #"{"groups":["dev","admin"]}"#])
        #expect(result.code == .ok)
        #expect(result.standardOutput.contains("foo/allow-sleep rule 1 matched"))
    }

    @Test func sourceNamespaceWithoutPrincipalIsAssumedAndSaidSo() async {
        let result = await check(["--request", "GET /api/x", "--source-namespace", "bar"])
        #expect(result.code == .problemsFound)
        #expect(result.standardOutput.contains("Note: assumed principal cluster.local/ns/bar/sa/default"))
    }

    @Test func tcpConnectionIgnoresHTTPOnlyAllowRules() async {
        let result = await check(["--tcp", "--port", "9000", "--principal", "cluster.local/ns/foo/sa/sleep"])
        #expect(result.code == .problemsFound)
        #expect(result.standardOutput.contains("rule 0 is ignored for TCP traffic: it uses HTTP-only fields"))
    }

    @Test func unparseablePolicyFileIsExit65NotAnAllow() async throws {
        let broken = try files.write("broken.yaml", "kind: AuthorizationPolicy\nspec: [\n")
        let result = await InProcess.run(["authz", "check", "-n", "foo", "--policies", broken, "--request", "GET /"])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains(broken))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func invalidPolicyIsExit65NamingFileDocumentAndField() async throws {
        let bad = try files.write("bad.yaml", """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: bad, namespace: foo}
            spec: {action: DENY, rules: [{from: [{source: {ipBlocks: [10.0.0.0/40]}}]}]}
            """)
        let result = await InProcess.run(["authz", "check", "-n", "foo", "--policies", bad, "--request", "GET /"])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("\(bad): document 1: AuthorizationPolicy bad is invalid: spec.rules[0].from[0].source.ipBlocks: bad CIDR range (10.0.0.0/40)"))
        let typed = try files.write("typed.yaml", "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: t}\nspec: {rules: 3}\n")
        let typedResult = await InProcess.run(["authz", "check", "--policies", typed, "--request", "GET /"])
        #expect(typedResult.code == .dataError)
        #expect(typedResult.standardError.contains("(at spec.rules)"))
    }

    @Test(arguments: [
        ["--request", "GET"], ["--request", "GET nopath"], ["--tcp", "--request", "GET /"], [],
        ["--request", "GET /", "--claims", "[1]"], ["--request", "GET /", "--header", "novalue"],
        ["--request", "GET /", "--ip", "999.1.1.1"], ["--request", "GET /", "--port", "70000"],
        ["--request", "GET /", "--principal", "cluster.local/ns/a/sa/b", "--source-namespace", "c"],
    ])
    func badRequestDescriptionsAreUsageErrors(_ arguments: [String]) async {
        let result = await check(arguments)
        #expect(result.code == .usage, "\(arguments): \(result.standardError)")
    }

    @Test func policiesFromADirectoryAndNoPoliciesAtAll() async throws {
        let directory = files.path("policies")
        let result = await InProcess.run(["authz", "check", "-n", "foo", "--labels", "app=httpbin", "--policies", directory, "--request", "GET /api/admin"])
        #expect(result.code == .problemsFound)
        let empty = try files.write("empty.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
        let none = await InProcess.run(["authz", "check", "--policies", empty, "--request", "GET /"])
        #expect(none.code == .ok)
        #expect(none.standardOutput == "ALLOWED: no ALLOW policy applies to the workload, and no DENY policy matched\n")
    }
}

/// `meshctl authz list` from files: one line per policy with scope and effect.
@Suite struct AuthzListCommandTests {
    @Test func listsEveryPolicyInOneLine() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("p.yaml", AuthzCheckCommandTests.policies + """

            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: mesh-deny, namespace: istio-system}
            spec: {action: DENY, rules: [{}]}
            """)
        let table = await InProcess.run(["authz", "list", "-A", "--policies", path])
        #expect(table.code == .ok, "\(table.standardError)")
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "NAMESPACE      NAME          ACTION   APPLIES TO             RULES")
        #expect(lines[1] == "foo            allow-sleep   ALLOW    app=httpbin            allows from principals [cluster.local/ns/foo/sa/sleep] to methods [GET] paths [/api/*] | allows when request.auth.claims[groups] in [admin]")
        #expect(lines[2] == "foo            deny-admin    DENY     all workloads in foo   denies to paths [/api/admin*]")
        #expect(lines[3] == "istio-system   mesh-deny     DENY     mesh-wide              denies every request")
        let one = await InProcess.run(["authz", "list", "-n", "foo", "--policies", path, "-o", "name"])
        #expect(one.standardOutput == "authorizationpolicy/allow-sleep\nauthorizationpolicy/deny-admin\n")
        let json = await InProcess.run(["authz", "list", "-A", "--policies", path, "-o", "json"])
        #expect(try JSON.parse(json.standardOutput)["items"]?.arrayValue?.count == 3)
    }
}

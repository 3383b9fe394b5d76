import Foundation
import MeshCLI
import MeshCore
import MeshKube
import MeshTestSupport
import Testing

/// `meshctl authz check` against a Kubernetes API server: policies and pod labels read from the cluster.
@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed for the stand-in API server"))
struct AuthzClusterTests {
    static func seed(_ cluster: TestKubeconfig) throws {
        let config = try KubeconfigLoader(explicitPath: cluster.path, environment: cluster.environment).clientConfig(KubeconfigOverrides())
        let client = try KubeClient(config: config, environment: cluster.environment)
        let policies = try client.resolveResource("authorizationpolicies")
        _ = try client.create(policies, [
            "apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
            "metadata": ["name": "allow-get", "namespace": "apps"],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "rules": [["to": [["operation": ["methods": ["GET"]]]]]]],
        ], namespace: "apps")
        _ = try client.create(policies, [
            "apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
            "metadata": ["name": "mesh-deny-debug", "namespace": "istio-system"],
            "spec": ["action": "DENY", "rules": [["to": [["operation": ["paths": ["/debug*"]]]]]]],
        ], namespace: "istio-system")
        _ = try client.create(policies, [
            "apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
            "metadata": ["name": "elsewhere", "namespace": "other"], "spec": ["action": "DENY", "rules": [[:]]],
        ], namespace: "other")
        _ = try client.create(client.resolveResource("pods"), [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-1", "namespace": "apps", "labels": ["app": "web"]],
        ], namespace: "apps")
    }

    @Test func podLabelsAndClusterPoliciesDecide() async throws {
        let cluster = try TestKubeconfig()
        try Self.seed(cluster)
        let allowed = await InProcess.run(["authz", "check", "web-1", "--request", "GET /"], environment: cluster.environment)
        #expect(allowed.code == .ok, "\(allowed.standardError)")
        #expect(allowed.standardOutput.hasPrefix("ALLOWED: ALLOW policy apps/allow-get rule 0 matched\n"))
        #expect(!allowed.standardOutput.contains("other/elsewhere"))

        let denied = await InProcess.run(["authz", "check", "pod/web-1.apps", "--request", "GET /debug/pprof", "-o", "json"], environment: cluster.environment)
        #expect(denied.code == .problemsFound)
        let value = try JSON.parse(denied.standardOutput)
        #expect(value["policy"] == "istio-system/mesh-deny-debug")

        let labelled = await InProcess.run(["authz", "check", "-n", "apps", "--labels", "app=api", "--request", "POST /"], environment: cluster.environment)
        #expect(labelled.code == .ok)
        #expect(labelled.standardOutput.contains("apps/allow-get (ALLOW): does not apply: selector app=web"))
    }

    @Test func aMissingPodIsARuntimeFailure() async throws {
        let cluster = try TestKubeconfig()
        let result = await InProcess.run(["authz", "check", "nope", "--request", "GET /"], environment: cluster.environment)
        #expect(result.code == .failure)
        #expect(result.standardError.contains("not found"))
    }

    @Test func policyFilesNeverTouchTheCluster() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("p.yaml", "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-all}\nspec: {action: DENY, rules: [{}]}\n")
        let result = await InProcess.run(["authz", "check", "-n", "x", "--policies", path, "--request", "GET /", "--context", "down"])
        #expect(result.code == .problemsFound)
        #expect(result.standardOutput.hasPrefix("DENIED: DENY policy x/deny-all rule 0 matched"))
    }
}

import Foundation
import MeshCLI
import MeshCore
import MeshTestSupport
import Testing

/// `meshctl authz allow|deny|delete` against a Kubernetes API server, and their bad-input paths.
@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed for the stand-in API server"))
struct AuthzAuthoringTests {
    @Test func allowCreatesListsChecksAndDeletes() async throws {
        let cluster = try TestKubeconfig()
        let env = cluster.environment
        let created = await InProcess.run(["authz", "allow", "web-get", "--selector", "app=web", "--from-namespace", "bar", "--method", "GET,HEAD"], environment: env)
        #expect(created.code == .ok, "\(created.standardError)")
        #expect(created.standardOutput == "authorizationpolicy.security.istio.io/web-get created\n")

        let denied = await InProcess.run(["authz", "deny", "no-admin", "-n", "apps", "--path", "/admin*", "--when", "source.namespace!=apps", "-o", "json"], environment: env)
        #expect(denied.code == .ok, "\(denied.standardError)")
        let object = try JSON.parse(denied.standardOutput)
        #expect(object["spec"]?["action"] == "DENY")
        #expect(object["metadata"]?["namespace"] == "apps")

        let list = await InProcess.run(["authz", "list"], environment: env)
        #expect(list.code == .ok)
        #expect(list.standardOutput.contains("web-get    ALLOW    app=web"), "\(list.standardOutput)")
        #expect(list.standardOutput.contains("allows from namespaces [bar] to methods [GET,HEAD]"), "\(list.standardOutput)")
        #expect(list.standardOutput.contains("denies to paths [/admin*] when source.namespace not in [apps]"), "\(list.standardOutput)")

        let fromBar = await InProcess.run(["authz", "check", "-n", "apps", "--labels", "app=web", "--request", "GET /", "--source-namespace", "bar"], environment: env)
        #expect(fromBar.code == .ok, "\(fromBar.standardOutput)")
        let admin = await InProcess.run(["authz", "check", "-n", "apps", "--labels", "app=web", "--request", "GET /admin/x", "--source-namespace", "bar"], environment: env)
        #expect(admin.code == .problemsFound)
        #expect(admin.standardOutput.hasPrefix("DENIED: DENY policy apps/no-admin rule 0 matched"))

        let again = await InProcess.run(["authz", "allow", "web-get", "--selector", "app=web"], environment: env)
        #expect(again.code == .failure)
        #expect(again.standardError.contains("AuthorizationPolicy apps/web-get already exists"), "\(again.standardError)")

        let deleted = await InProcess.run(["authz", "delete", "web-get", "no-admin"], environment: env)
        #expect(deleted.code == .ok, "\(deleted.standardError)")
        #expect(deleted.standardOutput == "authorizationpolicy.security.istio.io/web-get deleted\nauthorizationpolicy.security.istio.io/no-admin deleted\n")
        let empty = await InProcess.run(["authz", "list"], environment: env)
        #expect(empty.standardError.contains("No AuthorizationPolicies found in apps."))
    }

    @Test func deletingAMissingPolicyFailsAndNamesIt() async throws {
        let cluster = try TestKubeconfig()
        _ = await InProcess.run(["authz", "deny", "real", "--selector", "app=x"], environment: cluster.environment)
        let result = await InProcess.run(["authz", "delete", "ghost", "real", "-n", "apps"], environment: cluster.environment)
        #expect(result.code == .failure)
        #expect(result.standardError.contains("AuthorizationPolicy apps/ghost not found"), "\(result.standardError)")
        #expect(result.standardOutput == "authorizationpolicy.security.istio.io/real deleted\n")
    }

    @Test func dryRunPrintsAndTouchesNothing() async throws {
        let result = await InProcess.run(["authz", "allow", "admins", "-n", "foo", "--selector", "app=api", "--method", "POST", "--when", "request.auth.claims[groups]=admin", "--dry-run", "--context", "down"])
        #expect(result.code == .ok, "\(result.standardError)")
        let object = try YAML.parse(result.standardOutput)
        #expect(object["kind"] == "AuthorizationPolicy")
        #expect(object["metadata"] == ["name": "admins", "namespace": "foo"])
        #expect(object["spec"]?["rules"]?[0]?["when"]?[0]?["key"] == "request.auth.claims[groups]")
        let name = await InProcess.run(["authz", "deny", "x", "--dry-run", "-o", "name", "--context", "down"])
        #expect(name.standardOutput == "authorizationpolicy.security.istio.io/x\n")
    }

    @Test(arguments: [
        (["--when", "oops"], "--when: a condition must be"),
        (["--port", "http"], "--port must be a number"),
        (["--port", "70000"], "--port must be a number"),
        (["--selector", "app"], "--selector must be key=value"),
        (["--method", "GET,"], "--method has an empty value"),
    ])
    func badFlagsAreUsageErrors(_ flags: [String], _ message: String) async throws {
        let cluster = try TestKubeconfig()
        let result = await InProcess.run(["authz", "allow", "p"] + flags, environment: cluster.environment)
        #expect(result.code == .usage)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
        let list = await InProcess.run(["authz", "list"], environment: cluster.environment)
        #expect(list.standardOutput.isEmpty)
    }

    @Test(arguments: [
        (["Bad_Name"], "metadata.name"),
        (["p", "--when", "request.bogus=1"], "request.bogus"),
        (["p", "--from-namespace", "a", "--when", "source.ip=not-an-ip"], "source.ip"),
    ])
    func policiesIstioWouldRejectAreBadDataAndNotSent(_ arguments: [String], _ message: String) async throws {
        let cluster = try TestKubeconfig()
        let result = await InProcess.run(["authz", "deny"] + arguments, environment: cluster.environment)
        #expect(result.code == .dataError, "\(result.standardError)")
        #expect(result.standardError.contains("Istio would reject AuthorizationPolicy apps/"), "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        let list = await InProcess.run(["authz", "list", "-A"], environment: cluster.environment)
        #expect(list.standardOutput.isEmpty)
    }

    @Test func missingNameIsAUsageError() async {
        let allow = await InProcess.run(["authz", "allow", "--dry-run"])
        #expect(allow.code == .usage)
        let delete = await InProcess.run(["authz", "delete"])
        #expect(delete.code == .usage)
    }
}

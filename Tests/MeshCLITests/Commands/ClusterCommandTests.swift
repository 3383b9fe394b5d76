import Foundation
import MeshCLI
import MeshCore
import MeshTestSupport
import Testing

/// The commands that read the kubeconfig and talk to the API server, against the stand-in server over HTTPS.
@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed for the stand-in API server"))
struct ClusterCommandTests {
    @Test func versionReportsTheServerNextToTheClient() async throws {
        let cluster = try TestKubeconfig()
        let text = await InProcess.run(["version"], environment: cluster.environment)
        #expect(text.code == .ok, "\(text.standardError)")
        #expect(text.standardOutput.hasPrefix("Client Version: \(BuildInfo.current.version)\n"))
        #expect(text.standardOutput.hasSuffix("Server Version: v1.31.0-test\n"))

        let json = await InProcess.run(["version", "-o", "json"], environment: cluster.environment)
        let value = try JSON.parse(json.standardOutput)
        #expect(value["serverVersion"]?["gitVersion"]?.stringValue == "v1.31.0-test")
        #expect(value["serverVersion"]?["platform"]?.stringValue == "linux/amd64")
        #expect(value["clientVersion"]?["version"]?.stringValue == BuildInfo.current.version)
    }

    @Test func versionWithoutAServerStillPrintsTheClientAndExits1() async throws {
        let cluster = try TestKubeconfig()
        let result = await InProcess.run(["version", "--context", "down", "-o", "yaml"], environment: cluster.environment)
        #expect(result.code == .failure)
        let value = try YAML.parse(result.standardOutput)
        #expect(value["clientVersion"]?["version"]?.stringValue == BuildInfo.current.version)
        #expect(value["serverVersion"] == nil)
        #expect(result.standardError.hasPrefix("Error: cannot connect to the server"))
    }

    @Test func clientOnlyNeverReadsTheKubeconfig() async {
        let result = await InProcess.run(["version", "--client", "--kubeconfig", "/nonexistent/config"])
        #expect(result.code == .ok)
        #expect(result.standardError.isEmpty)
    }

    @Test func contextsTableMarksTheContextInUse() async throws {
        let cluster = try TestKubeconfig()
        let table = await InProcess.run(["kubeconfig", "contexts"], environment: cluster.environment)
        #expect(table.standardOutput == """
            CURRENT   NAME   CLUSTER        AUTHINFO   NAMESPACE
                      down   down-cluster   tester
            *         test   test-cluster   tester     apps

            """)
        let chosen = await InProcess.run(["kubeconfig", "contexts", "--context", "down"], environment: cluster.environment)
        #expect(chosen.standardOutput.contains("*         down"))
        let names = await InProcess.run(["kubeconfig", "contexts", "-o", "name"], environment: cluster.environment)
        #expect(names.standardOutput == "down\ntest\n")
        let json = await InProcess.run(["kubeconfig", "contexts", "-o", "json"], environment: cluster.environment)
        let items = try JSON.parse(json.standardOutput)["contexts"]?.arrayValue ?? []
        #expect(items.map { $0["current"]?.boolValue } == [false, true])
        #expect(items.last?["namespace"]?.stringValue == "apps")
    }

    @Test func viewRedactsSecretsUnlessRaw() async throws {
        let cluster = try TestKubeconfig()
        let view = await InProcess.run(["kubeconfig", "view"], environment: cluster.environment)
        #expect(view.code == .ok)
        #expect(view.standardOutput.contains("token: REDACTED"))
        #expect(!view.standardOutput.contains("ok-cli-test"))
        let raw = await InProcess.run(["kubeconfig", "view", "--raw", "-o", "json"], environment: cluster.environment)
        #expect(raw.standardOutput.contains("\"token\": \"ok-cli-test\""))
        let minified = await InProcess.run(["kubeconfig", "view", "--minify", "--context", "down"], environment: cluster.environment)
        let value = try YAML.parse(minified.standardOutput)
        #expect(value["contexts"]?.arrayValue?.count == 1)
        #expect(value["clusters"]?[0]?["name"]?.stringValue == "down-cluster")
    }

    @Test func malformedKubeconfigIsBadInputNamingTheFile() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("broken", "clusters: [\n")
        let result = await InProcess.run(["kubeconfig", "view", "--kubeconfig", path])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains(path))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func unknownContextNamesTheOnesThatExist() async throws {
        let cluster = try TestKubeconfig()
        let result = await InProcess.run(["version", "--context", "nope"], environment: cluster.environment)
        #expect(result.code == .failure)
        #expect(result.standardError.contains("context \"nope\" does not exist in the kubeconfig; contexts: down, test"))
    }

    @Test func callbackCompletesKubeconfigNamesAndNamespaces() async throws {
        let cluster = try TestKubeconfig()
        let env = cluster.environment
        #expect(await InProcess.run(["__complete", "contexts"], environment: env).standardOutput == "down\ntest\n")
        #expect(await InProcess.run(["__complete", "clusters"], environment: env).standardOutput == "down-cluster\ntest-cluster\n")
        #expect(await InProcess.run(["__complete", "users"], environment: env).standardOutput == "tester\n")
        for name in ["istio-system", "shop"] {
            _ = try Subprocess.run(
                "/usr/bin/curl", ["-sk", "-H", "Authorization: Bearer ok-1", "-H", "Content-Type: application/json",
                                  "-d", "{\"metadata\":{\"name\":\"\(name)\"}}", "\(cluster.server.url)/api/v1/namespaces"])
        }
        let namespaces = await InProcess.run(["__complete", "namespaces"], environment: env)
        #expect(namespaces.standardOutput == "istio-system\nshop\n")
        // Pods come from the selected namespace: the context's ("apps"), or -n.
        let pods = await InProcess.run(["__complete", "pods"], environment: env)
        #expect(pods.standardOutput == "pod-0\npod-1\npod-2\npod-3\npod-4\n")
        #expect(await InProcess.run(["__complete", "pods", "-n", "shop"], environment: env).standardOutput == pods.standardOutput)
        _ = try Subprocess.run(
            "/usr/bin/curl", ["-sk", "-H", "Authorization: Bearer ok-1", "-H", "Content-Type: application/json",
                              "-d", "{\"metadata\":{\"name\":\"worker-1\"}}", "\(cluster.server.url)/api/v1/nodes"])
        #expect(await InProcess.run(["__complete", "nodes"], environment: env).standardOutput == "worker-1\n")
        let unreachable = await InProcess.run(["__complete", "namespaces", "--context", "down"], environment: env)
        #expect(unreachable.code == .ok)
        #expect(unreachable.standardOutput.isEmpty)
        #expect(unreachable.standardError.isEmpty)
    }

    @Test(.enabled(if: CompletionScriptTests.hasBashCompletion, "bash-completion is not installed"))
    func bashPassesTheKubeconfigToTheCallback() throws {
        let cluster = try TestKubeconfig()
        let other = try cluster.files.write("other", """
            apiVersion: v1
            kind: Config
            contexts:
            - name: elsewhere
              context: {cluster: c, user: u}
            """)
        #expect(try CompletionScriptTests().bashComplete("meshctl --context ", environment: cluster.environment) == ["down", "test"])
        #expect(try CompletionScriptTests().bashComplete("meshctl --kubeconfig \(other) --context ", environment: cluster.environment) == ["elsewhere"])
        #expect(try CompletionScriptTests().bashComplete("meshctl describe pod -n shop pod-", environment: cluster.environment)
                == ["pod-0", "pod-1", "pod-2", "pod-3", "pod-4"])
    }
}

/// Kubeconfig files that are not plain files: what users pass with process substitution or /dev/null.
@Suite struct KubeconfigSourceTests {
    @Test func aPipeIsReadLikeAFile() async throws {
        let text = "apiVersion: v1\nkind: Config\ncontexts:\n- name: piped\n  context: {cluster: c, user: u}\n"
        let result = try Subprocess.run(
            "/bin/bash", ["-c", "\"$0\" kubeconfig contexts -o name --kubeconfig <(printf '%s' \"$1\")", MeshctlBinary.path, text])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "piped\n")
    }

    @Test func devNullIsAnEmptyKubeconfig() async {
        let result = await InProcess.run(["kubeconfig", "contexts", "-o", "name", "--kubeconfig", "/dev/null"])
        #expect(result.code == .ok)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func aDirectoryIsARuntimeErrorSayingSo() async throws {
        let directory = try TestTools.temporaryDirectory()
        let result = await InProcess.run(["kubeconfig", "view", "--kubeconfig", directory.path])
        #expect(result.code == .failure)
        #expect(result.standardError == "Error: cannot read the kubeconfig from \(directory.path): it is a directory\n")
    }
}

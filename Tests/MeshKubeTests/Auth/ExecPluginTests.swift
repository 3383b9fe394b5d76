import Foundation
import MeshCore
import Testing

@testable import MeshKube

@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed to run the HTTPS test server"))
struct ExecPluginTests {
    let script = TestTools.fixtures.appendingPathComponent("exec_plugin.sh").path

    func exec(_ countFile: URL, version: ExecCredentialVersion = .v1, expires: String = "2999-01-01T00:00:00Z",
              mode: String = "", answerVersion: String? = nil, provideClusterInfo: Bool = false) -> ExecConfig {
        var env: [ExecConfig.EnvVar] = [
            .init(name: "COUNT_FILE", value: countFile.path), .init(name: "API", value: version.rawValue),
            .init(name: "EXP", value: expires), .init(name: "MODE", value: mode),
        ]
        if let answerVersion { env.append(.init(name: "ANSWER_VERSION", value: answerVersion)) }
        return ExecConfig(apiVersion: version.rawValue, command: "/bin/sh", args: [script], env: env,
                          provideClusterInfo: provideClusterInfo, interactiveMode: "Never")
    }

    func runs(_ countFile: URL) -> Int {
        Int((try? String(contentsOf: countFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
    }

    @Test(arguments: ExecCredentialVersion.allCases)
    func credentialIsCachedUntilItExpires(version: ExecCredentialVersion) throws {
        let cluster = try TestCluster.start()
        let count = try TestTools.temporaryDirectory().appendingPathComponent("count")
        let client = try cluster.client(.exec(exec(count, version: version)))
        for _ in 0..<3 {
            #expect(try client.serverVersion().raw["user"]?.stringValue == "token:ok-exec-1")
        }
        #expect(runs(count) == 1)
        #expect(client.authenticator.execRuns == 1)
    }

    @Test func expiredCredentialIsFetchedAgain() throws {
        let cluster = try TestCluster.start()
        let count = try TestTools.temporaryDirectory().appendingPathComponent("count")
        let client = try cluster.client(.exec(exec(count, expires: "2001-01-01T00:00:00Z")))
        _ = try client.serverVersion()
        _ = try client.serverVersion()
        #expect(runs(count) == 2)
    }

    @Test func a401RefreshesTheCredentialOnceAndRetries() throws {
        let cluster = try TestCluster.start()
        let count = try TestTools.temporaryDirectory().appendingPathComponent("count")
        let client = try cluster.client(.exec(exec(count, mode: "stale-first")))
        #expect(try client.serverVersion().raw["user"]?.stringValue == "token:ok-exec-2")
        #expect(runs(count) == 2)
        let paths = try cluster.requests().map { $0["path"] as? String }
        #expect(paths == ["/version", "/version"])
    }

    @Test func clusterInfoIsProvidedWhenAsked() throws {
        let cluster = try TestCluster.start()
        let count = try TestTools.temporaryDirectory().appendingPathComponent("count")
        let client = try cluster.client(.exec(exec(count, version: .v1beta1, provideClusterInfo: true)))
        _ = try client.serverVersion()
        let info = try JSON.parse(String(contentsOf: URL(fileURLWithPath: count.path + ".info"), encoding: .utf8))
        #expect(info["kind"]?.stringValue == "ExecCredential")
        #expect(info["apiVersion"]?.stringValue == ExecCredentialVersion.v1beta1.rawValue)
        #expect(info["spec"]?["interactive"]?.boolValue == false)
        #expect(info["spec"]?["cluster"]?["server"]?.stringValue == cluster.server.url)
        #expect(info["spec"]?["cluster"]?["certificate-authority-data"]?.stringValue != nil)
    }

    @Test func aMissingPluginShowsItsInstallHint() throws {
        var config = ExecConfig(apiVersion: ExecCredentialVersion.v1.rawValue, command: "meshctl-no-such-plugin",
                                interactiveMode: "Never", installHint: "Install it with: brew install no-such-plugin")
        config.args = []
        let client = try KubeClient(config: ClientConfig(server: "https://127.0.0.1:1", credentials: .exec(config)),
                                    environment: ["PATH": "/nonexistent"])
        let error = #expect(throws: KubeError.self) { try client.serverVersion() }
        #expect(error?.code == .credentials)
        #expect(error?.message.contains("\"meshctl-no-such-plugin\" was not found") == true)
        #expect(error?.message.contains("brew install no-such-plugin") == true)
    }

    @Test func anAnswerInTheWrongVersionIsRejected() throws {
        let count = try TestTools.temporaryDirectory().appendingPathComponent("count")
        let client = try KubeClient(config: ClientConfig(
            server: "https://127.0.0.1:1", credentials: .exec(exec(count, answerVersion: "client.authentication.k8s.io/v1alpha1"))))
        let error = #expect(throws: KubeError.self) { try client.serverVersion() }
        #expect(error?.code == .credentials)
        #expect(error?.message.contains("v1alpha1") == true)
    }

    @Test(arguments: [
        (#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"}"#, "status is missing"),
        (#"{"kind":"Other","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t"}}"#, "kind"),
        (#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}}"#, "neither"),
        (#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":"soon"}}"#, "RFC 3339"),
        ("not json", "invalid ExecCredential"),
    ])
    func malformedCredentialsAreRejected(output: String, problem: String) {
        let error = #expect(throws: KubeError.self) {
            try ExecCredential.parse(Data(output.utf8), expectedVersion: ExecCredentialVersion.v1.rawValue, command: "p")
        }
        #expect(error?.message.contains(problem) == true)
    }
}

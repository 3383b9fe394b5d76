import Foundation
import MeshCore
import MeshTestSupport
import Testing

/// `meshctl local up|status|down` through the real binary: a background control plane, the kubeconfig context it
/// adds beside the user's own, idempotent `up`, and a clean stop.
@Suite(.serialized) struct LocalLifecycleTests {
    /// A free loopback port (the kernel's choice, released again for the control plane to take).
    static func freePort() throws -> Int {
        let result = try Subprocess.run(
            "/usr/bin/env", ["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        return try #require(Int(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func upStatusDownAroundTheUsersKubeconfig() throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try """
            apiVersion: v1
            kind: Config
            current-context: other
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: other, context: {cluster: c, user: u}}]
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let data = directory.appendingPathComponent("data").path
        let environment = ["KUBECONFIG": kubeconfig, "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        func meshctl(_ arguments: [String]) throws -> Subprocess.Result {
            try Subprocess.run(MeshctlBinary.path, arguments, environment: environment)
        }
        let port = try Self.freePort()
        defer { _ = try? meshctl(["local", "down", "--data-dir", data]) }

        let up = try meshctl(["local", "up", "--data-dir", data, "--port", String(port), "--timeout", "60s"])
        #expect(up.status == 0, "\(up.standardError)")
        #expect(up.standardOutput.contains("https://127.0.0.1:\(port)"))

        let again = try meshctl(["local", "up", "--data-dir", data, "--port", String(port)])
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("already running"))

        let status = try JSON.parse(try meshctl(["local", "status", "--data-dir", data, "-o", "json"]).standardOutput)
        #expect(status["running"]?.boolValue == true)
        #expect(status["endpoint"]?.stringValue == "https://127.0.0.1:\(port)")
        let pid = try #require(status["pid"]?.intValue)

        // The user's context stays current; the new one works through the ordinary client path.
        let contexts = try meshctl(["kubeconfig", "contexts", "-o", "json"])
        let items = try JSON.parse(contexts.standardOutput)["contexts"]?.arrayValue ?? []
        #expect(items.compactMap { $0["name"]?.stringValue } == ["meshctl-local", "other"])
        #expect(items.first { $0["name"]?.stringValue == "other" }?["current"]?.boolValue == true)
        let version = try meshctl(["version", "--context", "meshctl-local"])
        #expect(version.status == 0, "\(version.standardError)")
        #expect(version.standardOutput.contains("Server Version: v"))

        let down = try meshctl(["local", "down", "--data-dir", data])
        #expect(down.status == 0, "\(down.standardError)")
        #expect(kill(pid_t(pid), 0) != 0, "the control plane process is still alive")
        let stopped = try meshctl(["local", "status", "--data-dir", data])
        #expect(stopped.status == 1)
        #expect(stopped.standardOutput.contains("not running"))
    }
}

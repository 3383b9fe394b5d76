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

    /// A throwaway home with the user's own kubeconfig and a data directory; runs the real binary there.
    struct Home {
        let directory: URL
        let data: String
        let environment: [String: String]

        init() throws {
            directory = try TestTools.temporaryDirectory()
            let kubeconfig = directory.appendingPathComponent("kubeconfig").path
            try """
                apiVersion: v1
                kind: Config
                current-context: other
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: other, context: {cluster: c, user: u}}]
                """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            data = directory.appendingPathComponent("data").path
            environment = ["KUBECONFIG": kubeconfig, "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        }

        func meshctl(_ arguments: [String], timeout: TimeInterval = 120) throws -> Subprocess.Result {
            try Subprocess.run(MeshctlBinary.path, arguments, environment: environment, timeout: timeout)
        }

        func remove() {
            _ = try? meshctl(["local", "down", "--data-dir", data])
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func upStatusDownAroundTheUsersKubeconfig() throws {
        let home = try Home()
        defer { home.remove() }
        let data = home.data
        func meshctl(_ arguments: [String]) throws -> Subprocess.Result { try home.meshctl(arguments) }
        let port = try Self.freePort()

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

    @Test func logsPrintTailAndFollowUntilTheServerStops() throws {
        let home = try Home()
        defer { home.remove() }
        let data = home.data
        let missing = try home.meshctl(["local", "logs", "--data-dir", data])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("no log file"))
        #expect(try home.meshctl(["local", "logs", "--tail", "many", "--data-dir", data]).status == 64)

        let port = try Self.freePort()
        let up = try home.meshctl(["local", "up", "--data-dir", data, "--port", String(port), "--timeout", "60s"])
        #expect(up.status == 0, "\(up.standardError)")
        let all = try home.meshctl(["local", "logs", "--data-dir", data])
        #expect(all.status == 0, "\(all.standardError)")
        #expect(all.standardOutput.contains("serving the Kubernetes API on https://127.0.0.1:\(port)"))
        let lines = all.standardOutput.split(separator: "\n")
        #expect(lines.count > 1)
        let last = try home.meshctl(["local", "logs", "--tail", "1", "--data-dir", data])
        #expect(last.standardOutput == (lines.last.map { $0 + "\n" } ?? ""))
        #expect(try home.meshctl(["local", "logs", "--tail", "0", "--data-dir", data]).standardOutput.isEmpty)

        // `-f` prints the lines the server writes while it stops, then ends by itself.
        let followed = LockedResult()
        let following = DispatchGroup()
        DispatchQueue.global().async(group: following) {
            followed.set(try? home.meshctl(["local", "logs", "-f", "--tail", "1", "--data-dir", data], timeout: 60))
        }
        Thread.sleep(forTimeInterval: 1)
        #expect(try home.meshctl(["local", "down", "--data-dir", data]).status == 0)
        #expect(following.wait(timeout: .now() + 90) == .success)
        let result = try #require(followed.get())
        #expect(result.status == 0 && !result.crashed, "logs -f did not end when the server stopped")
        #expect(result.standardOutput.hasPrefix(String(lines.last ?? "")))
        #expect(result.standardOutput.contains("shutting down"))
        #expect(result.standardOutput.hasSuffix("stopped\n"))
    }
}

private final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Subprocess.Result?

    func set(_ value: Subprocess.Result?) { lock.withLock { result = value } }
    func get() -> Subprocess.Result? { lock.withLock { result } }
}

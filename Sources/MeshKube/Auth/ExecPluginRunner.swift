import Foundation
import MeshCore

/// Runs an exec credential plugin the way kubectl does: its own `env` on top of ours, `KUBERNETES_EXEC_INFO`
/// describing the request (and the cluster, with `provideClusterInfo`), stderr passed through to the user.
struct ExecPluginRunner: Sendable {
    let config: ExecConfig
    /// The cluster as the plugin sees it with `provideClusterInfo`.
    let cluster: Value
    let environment: [String: String]

    func run() throws(KubeError) -> ExecCredential {
        guard let executable = locate() else {
            var message = "the exec credential plugin \"\(config.command)\" was not found"
            if let hint = config.installHint, !hint.isEmpty { message += "\n\n\(hint)" }
            throw KubeError(.credentials, message)
        }
        let interactive = config.interactiveMode != "Never" && isatty(0) == 1
        if config.interactiveMode == "Always" && !interactive {
            throw KubeError(.credentials, "the exec plugin \(config.command) needs an interactive terminal (interactiveMode: Always)")
        }
        var env = environment
        for variable in config.env { env[variable.name] = variable.value }
        env["KUBERNETES_EXEC_INFO"] = JSON.emit(execInfo(interactive: interactive))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = config.args
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = interactive ? FileHandle.standardInput : FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw KubeError(.credentials, "cannot run the exec plugin \(executable): \(error.localizedDescription)", cause: error)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw KubeError(.credentials, "the exec plugin \(executable) failed (exit status \(process.terminationStatus))")
        }
        return try ExecCredential.parse(data, expectedVersion: config.apiVersion, command: executable)
    }

    func execInfo(interactive: Bool) -> Value {
        var spec: Value.Object = ["interactive": .bool(interactive)]
        if config.provideClusterInfo { spec["cluster"] = cluster }
        return ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": .object(spec)]
    }

    /// The command itself when it is a path, else the first match in `PATH`.
    private func locate() -> String? {
        let manager = FileManager.default
        if config.command.contains("/") {
            return manager.isExecutableFile(atPath: config.command) ? config.command : nil
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(config.command)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

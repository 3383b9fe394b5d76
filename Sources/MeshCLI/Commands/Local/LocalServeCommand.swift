import Dispatch
import Foundation
import Glibc
import MeshControlPlane
import MeshCore

/// `meshctl local serve` (hidden): runs the control plane in this process until SIGTERM or SIGINT.
/// `local up` starts it in the background; `local up --foreground` runs the same code.
enum LocalServeCommand {
    static let port = OptionSpec(long: "port", valueName: "PORT", help: "Port to listen on", defaultValue: "6443", valueType: .integer)
    static let listen = OptionSpec(long: "listen", valueName: "ADDRESS", help: "Address to listen on", defaultValue: "127.0.0.1")

    static let spec: CommandSpec = CommandSpec(
        name: "serve",
        abstract: "Run the local control plane in the foreground",
        options: [LocalCommand.dataDir, port, listen],
        hidden: true,
        run: { invocation, context in
            try serve(invocation, context)
        }
    )

    static func serve(_ invocation: Invocation, _ context: CommandContext) throws -> ExitCode {
        let directory = LocalCommand.directory(invocation, context)
        let host = invocation.options.string(listen) ?? "127.0.0.1"
        let port = invocation.options.int(port) ?? 6443
        if host != "127.0.0.1", host != "::1", host != "localhost" {
            context.printError("Warning: listening on \(host), not loopback: anyone who can reach it and holds a client certificate of this control plane can use it")
        }
        ControlPlane.tuneProcessMemory()
        let log: @Sendable (String) -> Void = { line in
            context.printError("\(Date().ISO8601Format()) \(line)")
        }
        let plane: ControlPlane
        do {
            plane = try ControlPlane(options: ControlPlaneOptions(dataDirectory: directory.path, host: host, port: port), log: log)
        } catch {
            throw LocalModeError("the control plane could not start: \(error)")
        }
        let pid = getpid()
        try? "\(pid)\n".write(toFile: directory.pidFile, atomically: true, encoding: .utf8)
        let info: Value = ["pid": .int(Int(pid)), "host": .string(host), "port": .int(plane.port),
                           "startedAt": .double(Date().timeIntervalSince1970)]
        try? JSON.emit(info).write(toFile: directory.serverFile, atomically: true, encoding: .utf8)
        log("serving the Kubernetes API on https://\(host):\(plane.port) (data in \(directory.path))")

        let signals = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                log("received signal \(number), shutting down")
                plane.shutdown()
            }
            source.resume()
            return source
        }
        try plane.wait()
        signals.forEach { $0.cancel() }
        try? FileManager.default.removeItem(atPath: directory.pidFile)
        try? FileManager.default.removeItem(atPath: directory.serverFile)
        log("stopped")
        return .ok
    }
}

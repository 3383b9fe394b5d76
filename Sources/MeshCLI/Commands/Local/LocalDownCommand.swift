import Foundation
import Glibc
import MeshCore

/// `meshctl local down`: stops the background control plane with SIGTERM and reports.
enum LocalDownCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "down",
        abstract: "Stop the local control plane",
        discussion: """
            Send SIGTERM to the local control plane and wait until it has stopped (SIGKILL after 15 seconds).
            The store and certificates stay in the data directory, so the next `local up` continues where this
            one stopped. Stopping a control plane that is not running is not an error.
            """,
        examples: [.init("Stop the local control plane", "meshctl local down")],
        options: [LocalCommand.dataDir],
        run: { invocation, context in
            let directory = LocalCommand.directory(invocation, context)
            let server = LocalServer(directory: directory)
            guard let pid = server.runningPID else {
                context.print("The local control plane is not running (data directory \(directory.path)).")
                return .ok
            }
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(15)
            while BackgroundProcess.isAlive(pid), Date() < deadline { usleep(50_000) }
            if BackgroundProcess.isAlive(pid) {
                kill(pid, SIGKILL)
                context.printError("Warning: the control plane did not stop within 15s and was killed")
                usleep(100_000)
            }
            try? FileManager.default.removeItem(atPath: directory.pidFile)
            try? FileManager.default.removeItem(atPath: directory.serverFile)
            context.print("Stopped the local control plane (pid \(pid)).")
            return .ok
        }
    )
}

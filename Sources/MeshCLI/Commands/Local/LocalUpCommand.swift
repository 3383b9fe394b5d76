import Foundation
import Glibc
import MeshControlPlane
import MeshCore

/// `meshctl local up`: starts the control plane in the background, waits until it is ready and adds the
/// kubeconfig context `meshctl-local`.
enum LocalUpCommand {
    static let foreground = OptionSpec(long: "foreground", kind: .flag, help: "Run in this process instead of in the background")
    static let timeout = OptionSpec(long: "timeout", valueName: "duration", help: "How long to wait until the control plane is ready",
                                    defaultValue: "60s", valueType: .duration)

    static let spec: CommandSpec = CommandSpec(
        name: "up",
        abstract: "Start the local control plane and add the kubeconfig context meshctl-local",
        discussion: """
            Start the local control plane as a background process (pid and log files in the data directory), wait
            until it is ready, and add the context meshctl-local (cluster, user with a client certificate,
            namespace) to the kubeconfig without changing the other entries. Running it again reports the
            control plane that is already running. Only loopback addresses are used unless --listen says
            otherwise, which prints a warning.
            """,
        examples: [
            .init("Start on the default port 6443", "meshctl local up"),
            .init("Start on another port with its own data directory", "meshctl local up --port 7443 --data-dir /tmp/mesh"),
        ],
        options: [LocalCommand.dataDir, LocalServeCommand.port, LocalServeCommand.listen, foreground, timeout],
        run: { invocation, context in
            try up(invocation, context)
        }
    )

    static func up(_ invocation: Invocation, _ context: CommandContext) throws -> ExitCode {
        let directory = LocalCommand.directory(invocation, context)
        let server = LocalServer(directory: directory)
        let globals = GlobalOptions(invocation.options)
        let kubeconfig = LocalKubeconfig.file(explicit: globals.kubeconfig, environment: context.environment)
        if let pid = server.runningPID, let info = server.info, server.isReady(endpoint: info.endpoint) {
            try writeContext(server, info, kubeconfig)
            context.print("The local control plane is already running (pid \(pid)) at \(info.endpoint).")
            context.print("Kubeconfig context \"\(LocalKubeconfig.name)\" is in \(kubeconfig).")
            return .ok
        }
        if invocation.options.bool(foreground) {
            return try LocalServeCommand.serve(invocation, context)
        }
        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try? FileManager.default.removeItem(atPath: directory.serverFile)
        var arguments = ["local", "serve", "--data-dir", directory.path]
        if let port = invocation.options.string(LocalServeCommand.port) { arguments += ["--port", port] }
        if let listen = invocation.options.string(LocalServeCommand.listen) { arguments += ["--listen", listen] }
        let pid = try BackgroundProcess.spawn(arguments: arguments, logFile: directory.logFile, environment: context.environment)
        let wait = invocation.options.duration(timeout)?.duration ?? .seconds(60)
        let deadline = Date().addingTimeInterval(Double(wait.components.seconds))
        while Date() < deadline {
            if let info = server.info, info.pid == pid, server.isReady(endpoint: info.endpoint) {
                try writeContext(server, info, kubeconfig)
                context.print("""
                    The local control plane is running (pid \(pid)) at \(info.endpoint).
                    Data directory: \(directory.path)
                    Kubeconfig context "\(LocalKubeconfig.name)" added to \(kubeconfig).
                    Try: kubectl --context \(LocalKubeconfig.name) get nodes
                    """)
                return .ok
            }
            if !BackgroundProcess.isAlive(pid) { break }
            usleep(100_000)
        }
        let tail = (try? String(contentsOfFile: directory.logFile, encoding: .utf8))?.split(separator: "\n").suffix(5)
            .joined(separator: "\n") ?? ""
        if BackgroundProcess.isAlive(pid) { kill(pid, SIGTERM) }
        throw LocalModeError("the local control plane did not become ready (log \(directory.logFile)):\n\(tail)")
    }

    static func writeContext(_ server: LocalServer, _ info: LocalServer.Info, _ kubeconfig: String) throws {
        guard let ca = server.file(server.directory.caCertificate), let cert = server.file(server.directory.adminCertificate),
              let key = server.file(server.directory.adminKey) else {
            throw LocalModeError("the certificates of the local control plane are missing in \(server.directory.path)")
        }
        try LocalKubeconfig.write(file: kubeconfig, server: info.endpoint, caPEM: ca, certificatePEM: cert, keyPEM: key)
    }
}

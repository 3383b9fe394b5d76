import MeshControlPlane
import MeshCore

/// `meshctl local`: the mesh on this machine, behind a Kubernetes-compatible control plane.
enum LocalCommand {
    static let dataDir = OptionSpec(
        long: "data-dir", valueName: "DIR",
        help: "Directory of the local control plane's store, certificates, pid and log files (default $MESHCTL_LOCAL_DIR or ~/.meshctl/local)",
        completion: .directory)

    static let spec: CommandSpec = CommandSpec(
        name: "local",
        abstract: "Run the mesh's control plane on this machine",
        discussion: """
            Local mode runs an embedded control plane that speaks the Kubernetes API, stores objects durably in
            SQLite and runs the mesh CA. meshctl, kubectl and any Kubernetes client use it through the kubeconfig
            context meshctl-local, exactly as they would use a cluster.
            """,
        examples: [
            .init("Start the control plane and add the context meshctl-local", "meshctl local up"),
            .init("Use it with kubectl", "kubectl --context meshctl-local get nodes"),
            .init("Stop it", "meshctl local down"),
        ],
        subcommands: [LocalUpCommand.spec, LocalDownCommand.spec, LocalStatusCommand.spec, LocalLogsCommand.spec,
                      LocalServeCommand.spec],
        group: "Local Mesh"
    )

    /// The data directory from `--data-dir`, `$MESHCTL_LOCAL_DIR` or `~/.meshctl/local`.
    static func directory(_ invocation: Invocation, _ context: CommandContext) -> DataDirectory {
        if let explicit = invocation.options.string(dataDir), !explicit.isEmpty { return DataDirectory(absolute(explicit, context)) }
        if let fromEnvironment = context.environment["MESHCTL_LOCAL_DIR"], !fromEnvironment.isEmpty {
            return DataDirectory(absolute(fromEnvironment, context))
        }
        return DataDirectory((context.environment["HOME"] ?? "/tmp") + "/.meshctl/local")
    }

    private static func absolute(_ path: String, _ context: CommandContext) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return (context.environment["HOME"] ?? "") + path.dropFirst() }
        return (context.environment["PWD"] ?? ".") + "/" + path
    }
}

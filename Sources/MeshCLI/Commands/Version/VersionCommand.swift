import MeshCore
import MeshKube

/// `meshctl version`: what this binary is.
enum VersionCommand {
    static let client = OptionSpec(
        long: "client", kind: .flag, help: "Print only the client version; never contacts a cluster")
    static let output = OutputFormat.option([.json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "version",
        abstract: "Print the version of meshctl",
        discussion: """
            Print the version of meshctl: its release, the git commit and tree state it was built from, the build
            date, the Swift compiler and the platform; then the version of the Kubernetes API server of the
            selected context. When the server can't be reached, the client version is still printed, the reason
            goes to standard error and the exit code is 1. --client never contacts a cluster.
            """,
        examples: [
            .init("Print the client version", "meshctl version --client"),
            .init("Print it as JSON for scripts", "meshctl version --client -o json"),
            .init("Print the client and the API server versions of the context \"prod\"", "meshctl version --context prod"),
        ],
        options: [client, output],
        run: { invocation, context in
            let info = BuildInfo.current
            var server: Result<ServerVersion, KubeError>?
            if !invocation.options.bool(client) {
                server = Result { () throws(KubeError) in
                    try ClusterAccess(invocation, context: context).client(context).serverVersion()
                }
            }
            if let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) {
                var report: Value = ["clientVersion": clientVersion(info)]
                if case .success(let version) = server { report["serverVersion"] = version.raw }
                context.standardOutput.write(ObjectPrinter.render(report, format: format))
            } else {
                var text = text(info)
                if case .success(let version) = server { text += "Server Version: \(version.gitVersion)\n" }
                context.standardOutput.write(text)
            }
            if case .failure(let error) = server {
                throw error
            }
            return .ok
        }
    )

    /// The client version as a value, for `-o json|yaml`.
    static func clientVersion(_ info: BuildInfo) -> Value {
        [
            "version": .string(info.version),
            "gitCommit": .string(info.gitCommit),
            "gitTreeState": .string(info.gitTreeState),
            "buildDate": .string(info.buildDate),
            "swiftVersion": .string(info.swiftVersion),
            "platform": .string(Platform.current),
        ]
    }

    /// The human form.
    static func text(_ info: BuildInfo) -> String {
        """
        Client Version: \(info.version)
        Git Commit: \(info.gitCommit) (\(info.gitTreeState))
        Build Date: \(info.buildDate)
        Swift Version: \(info.swiftVersion)
        Platform: \(Platform.current)

        """
    }
}

import MeshCore

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
            date, the Swift compiler and the platform.
            """,
        examples: [
            .init("Print the client version", "meshctl version --client"),
            .init("Print it as JSON for scripts", "meshctl version --client -o json"),
        ],
        options: [client, output],
        run: { invocation, context in
            let info = BuildInfo.current
            if let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) {
                context.standardOutput.write(ObjectPrinter.render(["clientVersion": clientVersion(info)], format: format))
            } else {
                context.standardOutput.write(text(info))
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

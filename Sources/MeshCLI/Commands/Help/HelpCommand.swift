import MeshCore

/// `meshctl help [COMMAND...]`: the help of any command.
enum HelpCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "help",
        abstract: "Show help for any command",
        discussion: "Show the help of a command: `meshctl help pki plug-ca` is `meshctl pki plug-ca --help`.",
        examples: [.init("Show the help of the completion command", "meshctl help completion")],
        arguments: [ArgumentSpec("COMMAND", help: "the command path, such as \"completion\"", arity: .variadic,
                                 completion: .dynamic(.commands))],
        run: { invocation, context in
            var path = CommandPath([Meshctl.root])
            for word in invocation.arguments {
                guard let next = path.leaf.subcommand(named: word), !next.hidden else {
                    let names = path.leaf.visibleSubcommands.map(\.name)
                    let scope = path.commands.count == 1 ? "" : " for \"\(path.displayName)\""
                    throw UsageError(
                        "unknown command \"\(word)\"\(scope)\(NearMatch.phrase(for: word, among: names))",
                        at: invocation.path)
                }
                path = path.appending(next)
            }
            context.standardOutput.write(HelpRenderer().render(path))
            return .ok
        }
    )
}

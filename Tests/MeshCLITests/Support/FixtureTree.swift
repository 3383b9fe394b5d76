import MeshCLI

/// A small command tree with every kind of option, for parser tests independent of meshctl's real commands.
enum FixtureTree {
    static let global = OptionSpec(long: "namespace", short: "n", help: "namespace", inherited: true)
    static let verbose = OptionSpec(long: "verbose", short: "v", kind: .counter, help: "verbosity", inherited: true)
    static let help = OptionSpec(long: "help", short: "h", kind: .flag, help: "help", inherited: true)
    static let mesh = OptionSpec(
        long: "mesh-namespace", aliases: ["istioNamespace"], short: "i", help: "mesh", defaultValue: "istio-system",
        inherited: true)
    static let timeout = OptionSpec(long: "timeout", help: "timeout", valueType: .duration, inherited: true)

    static let file = OptionSpec(long: "filename", short: "f", kind: .repeatable, help: "files")
    static let output = OptionSpec(long: "output", short: "o", help: "output", allowedValues: ["json", "yaml"])
    static let dryRun = OptionSpec(long: "dry-run", kind: .flag, help: "dry run")
    static let force = OptionSpec(long: "force", kind: .flag, help: "force")
    static let count = OptionSpec(long: "count", short: "c", help: "count", valueType: .integer)
    /// Shadows the inherited `-n`: a command's own option wins.
    static let name = OptionSpec(long: "name", short: "n", help: "name")

    static let apply = CommandSpec(
        name: "apply", aliases: ["ap"], abstract: "apply", options: [file, output, dryRun, force, count],
        arguments: [ArgumentSpec("NAME", help: "a name", arity: .optional)],
        run: { _, _ in .ok })
    static let rename = CommandSpec(
        name: "rename", abstract: "rename", options: [name],
        arguments: [ArgumentSpec("OLD", help: "old"), ArgumentSpec("NEW", help: "new")],
        run: { _, _ in .ok })
    static let shell = CommandSpec(
        name: "shell", abstract: "shell",
        arguments: [ArgumentSpec("SHELL", help: "shell", completion: .values(["bash", "zsh"]))],
        run: { _, _ in .ok })
    static let exec = CommandSpec(
        name: "exec", abstract: "exec", arguments: [ArgumentSpec("ARGS", help: "args", arity: .oneOrMore)],
        run: { _, _ in .ok })
    static let group = CommandSpec(name: "pki", abstract: "pki", subcommands: [rename, shell])

    static let root = CommandSpec(
        name: "tool", abstract: "tool", options: [global, verbose, help, mesh, timeout],
        subcommands: [apply, group, exec])

    static let parser = CommandLineParser(root: root)
}

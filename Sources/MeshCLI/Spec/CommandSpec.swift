import MeshCore

/// One command of the meshctl tree, declared as data.
///
/// Parsing, help, completion scripts, man pages and `meshctl __complete` all read the same spec, so they can't
/// disagree. A command either has subcommands or runs (or both, when a group also does something itself).
public struct CommandSpec: Sendable {
    /// What a command does when it runs: it gets the parsed invocation and the context, and returns the exit
    /// code (errors that escape are mapped to exit codes by `Meshctl.run`).
    public typealias Run = @Sendable (Invocation, CommandContext) async throws -> ExitCode

    /// The word that selects the command (`version`).
    public var name: String
    /// Other words that select it (`kube-inject` for `inject`).
    public var aliases: [String]
    /// One line: what the command does. Shown in lists.
    public var abstract: String
    /// Paragraphs shown by `--help` and in the man page.
    public var discussion: String
    /// Worked examples.
    public var examples: [Example]
    /// The command's own options (global ones come from the root, marked `inherited`).
    public var options: [OptionSpec]
    /// Positional arguments, in order.
    public var arguments: [ArgumentSpec]
    /// Subcommands, in the order help lists them within their group.
    public var subcommands: [CommandSpec]
    /// The heading under which the parent's help lists this command.
    public var group: String
    /// Hidden commands run but are left out of help, completions and man pages.
    public var hidden: Bool
    /// What the command does; `nil` for a pure group, which prints its help.
    public var run: Run?

    /// A worked example: a comment and the command line.
    public struct Example: Sendable, Hashable {
        public var comment: String
        public var command: String

        public init(_ comment: String, _ command: String) {
            self.comment = comment
            self.command = command
        }
    }

    public init(
        name: String,
        aliases: [String] = [],
        abstract: String,
        discussion: String = "",
        examples: [Example] = [],
        options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = [],
        subcommands: [CommandSpec] = [],
        group: String = CommandSpec.otherGroup,
        hidden: Bool = false,
        run: Run? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.discussion = discussion
        self.examples = examples
        self.options = options
        self.arguments = arguments
        self.subcommands = subcommands
        self.group = group
        self.hidden = hidden
        self.run = run
    }

    /// The heading of commands that declare no group.
    public static let otherGroup = "Other Commands"

    /// The subcommand selected by `word` (its name or an alias).
    public func subcommand(named word: String) -> CommandSpec? {
        subcommands.first { $0.name == word || $0.aliases.contains(word) }
    }

    /// Subcommands that help, completions and man pages show.
    public var visibleSubcommands: [CommandSpec] {
        subcommands.filter { !$0.hidden }
    }

    /// Options that help, completions and man pages show.
    public var visibleOptions: [OptionSpec] {
        options.filter { !$0.hidden }
    }
}

/// A command together with the commands above it: `[root, pki, plug-ca]`.
public struct CommandPath: Sendable {
    /// The commands from the root to the selected one; never empty.
    public let commands: [CommandSpec]

    public init(_ commands: [CommandSpec]) {
        precondition(!commands.isEmpty, "a command path starts at the root")
        self.commands = commands
    }

    /// The selected command.
    public var leaf: CommandSpec { commands[commands.count - 1] }

    /// `meshctl pki plug-ca`.
    public var displayName: String {
        commands.map(\.name).joined(separator: " ")
    }

    /// Options the selected command accepts: its own first, then those it inherits, innermost ancestor first.
    /// An option of the command shadows an inherited one with the same spelling.
    public var effectiveOptions: [OptionSpec] {
        var result = leaf.options
        for ancestor in commands.dropLast().reversed() {
            result += ancestor.options.filter(\.inherited)
        }
        return result
    }

    /// Inherited options only (shown as "Global Flags").
    public var inheritedOptions: [OptionSpec] {
        let own = leaf.options
        return effectiveOptions.dropFirst(own.count).filter { inherited in
            !own.contains { $0.long == inherited.long }
        }
    }

    /// The option spelled `--name` (or an alias) for this command, own options first.
    public func option(long name: String) -> OptionSpec? {
        effectiveOptions.first { $0.longSpellings.contains(name) }
    }

    /// The option spelled `-c` for this command, own options first.
    public func option(short character: Character) -> OptionSpec? {
        effectiveOptions.first { $0.short == character }
    }

    /// The path extended by one subcommand.
    public func appending(_ command: CommandSpec) -> CommandPath {
        CommandPath(commands + [command])
    }

    /// The usage line: `meshctl pki plug-ca [flags]`, `meshctl completion SHELL`, `meshctl [command]`.
    public var usage: String {
        var parts = [displayName]
        if !leaf.visibleSubcommands.isEmpty {
            parts.append("[command]")
        }
        parts += leaf.arguments.map(\.usage)
        parts.append("[flags]")
        return parts.joined(separator: " ")
    }
}

import MeshCore

/// Renders `--help` text for a command from its spec: description, usage, subcommands by group, arguments,
/// options, examples.
public struct HelpRenderer: Sendable {
    public init() {}

    public func render(_ path: CommandPath) -> String {
        let command = path.leaf
        var sections: [String] = []
        sections.append(command.discussion.isEmpty ? command.abstract : command.discussion)
        sections.append("Usage:\n  \(path.usage)")
        if !command.aliases.isEmpty {
            sections.append("Aliases:\n  " + ([command.name] + command.aliases).joined(separator: ", "))
        }
        sections += subcommandSections(command)
        if !command.arguments.isEmpty {
            sections.append("Arguments:\n" + Self.table(command.arguments.map { ($0.name, $0.help) }))
        }
        let own = command.visibleOptions
        if !own.isEmpty {
            sections.append("Flags:\n" + Self.optionTable(own))
        }
        let inherited = path.inheritedOptions.filter { !$0.hidden }
        if !inherited.isEmpty {
            sections.append("Global Flags:\n" + Self.optionTable(inherited))
        }
        if !command.examples.isEmpty {
            sections.append("Examples:\n" + command.examples.map { "  # \($0.comment)\n  \($0.command)" }.joined(separator: "\n\n"))
        }
        if path.commands.count == 1 {
            sections.append("Exit Codes:\n" + Self.table(ExitCode.allCases.map { (String($0.rawValue), $0.meaning) }))
        }
        if !command.visibleSubcommands.isEmpty {
            sections.append("Use \"\(path.displayName) [command] --help\" for more information about a command.")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// Subcommands listed under their group headings, groups in order of first appearance (the catch-all last).
    private func subcommandSections(_ command: CommandSpec) -> [String] {
        let visible = command.visibleSubcommands
        var groups: [String] = []
        for subcommand in visible where !groups.contains(subcommand.group) {
            groups.append(subcommand.group)
        }
        // The catch-all group goes last, whatever order the commands are declared in.
        if let other = groups.firstIndex(of: CommandSpec.otherGroup) {
            groups.append(groups.remove(at: other))
        }
        let width = visible.map(\.name.count).max() ?? 0
        return groups.map { group in
            let rows = visible.filter { $0.group == group }.map { ($0.name, $0.abstract) }
            return "\(group):\n" + Self.table(rows, width: width)
        }
    }

    /// `  -n, --namespace NAMESPACE   help (default "x")` rows, aligned.
    static func optionTable(_ options: [OptionSpec]) -> String {
        table(options.map { option in
            var spelling = option.short.map { "-\($0), " } ?? "    "
            spelling += "--\(option.long)"
            if option.takesValue { spelling += " \(option.valueName)" }
            var help = option.help
            if let value = option.defaultValue, value != "0" || option.valueType != .duration {
                help += " (default \"\(value)\")"
            }
            if option.kind == .repeatable { help += " (repeatable)" }
            if !option.aliases.isEmpty { help += " (also --\(option.aliases.joined(separator: ", --")))" }
            return (spelling, help)
        })
    }

    /// Two aligned columns, indented by two spaces.
    static func table(_ rows: [(String, String)], width: Int? = nil) -> String {
        let width = width ?? rows.map(\.0.count).max() ?? 0
        return rows.map { left, right in
            "  " + left + String(repeating: " ", count: width - left.count + 3) + right
        }.joined(separator: "\n")
    }
}

import MeshCore

extension CommandPath {
    /// Every visible command under `root` (the root first, then depth-first in declaration order).
    static func allVisible(from root: CommandSpec) -> [CommandPath] {
        var result: [CommandPath] = []
        func visit(_ path: CommandPath) {
            result.append(path)
            for subcommand in path.leaf.visibleSubcommands {
                visit(path.appending(subcommand))
            }
        }
        visit(CommandPath([root]))
        return result
    }

    /// The path's words after the program name, joined by spaces (`pki plug-ca`; empty for the root).
    var subcommandWords: String {
        commands.dropFirst().map(\.name).joined(separator: " ")
    }

    /// Visible options, own then inherited, without shadowed duplicates.
    var completableOptions: [OptionSpec] {
        (leaf.visibleOptions + inheritedOptions).filter { !$0.hidden }
    }
}

extension OptionSpec {
    /// `-n` and `--namespace` (aliases left out of completions).
    var completionSpellings: [String] {
        (short.map { ["-\($0)"] } ?? []) + ["--\(long)"]
    }
}

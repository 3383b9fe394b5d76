import MeshCore

/// `meshctl __complete KIND [WORD...]`: the hidden command completion scripts call for names only the running
/// program knows. It prints one candidate per line and never fails loudly: a shell waiting on TAB must not see
/// errors.
enum CompleteCallbackCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "__complete",
        abstract: "Print completion candidates (used by the completion scripts)",
        arguments: [
            ArgumentSpec(
                "KIND", help: "what to complete", completion: .values(DynamicCompletion.allCases.map(\.rawValue))),
            ArgumentSpec("WORD", help: "the words typed so far, when the kind needs them", arity: .variadic),
        ],
        hidden: true,
        run: { invocation, context in
            guard let kind = invocation.arguments.first.flatMap(DynamicCompletion.init(rawValue:)) else {
                throw UsageError("missing completion kind", at: invocation.path)
            }
            for candidate in candidates(kind, words: Array(invocation.arguments.dropFirst())) {
                context.print(candidate)
            }
            return .ok
        }
    )

    /// The candidates of a kind; `words` are the words typed before the one being completed.
    static func candidates(_ kind: DynamicCompletion, words: [String]) -> [String] {
        switch kind {
        case .commands:
            var command = Meshctl.root
            for word in words {
                guard let next = command.subcommand(named: word) else { return [String]() }
                command = next
            }
            return command.visibleSubcommands.map(\.name)
        }
    }
}

import MeshCore
import MeshKube

/// `meshctl __complete KIND [WORD...]`: the hidden command completion scripts call for names only the running
/// program knows. It prints one candidate per line and stays quiet on failure: a shell waiting on TAB must not
/// show errors. The scripts pass `--kubeconfig`, `--context` and `-n` as typed, so the names come from the
/// same cluster and namespace the command would use.
enum CompleteCallbackCommand {
    /// How long a namespace lookup may take before completion gives up.
    static let clusterTimeout = GoDuration.seconds(5)

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
            var globals = GlobalOptions(invocation.options)
            if globals.requestTimeout == .zero || globals.requestTimeout > clusterTimeout {
                globals.requestTimeout = clusterTimeout
            }
            let access = ClusterAccess(globals, environment: context.environment)
            let words = Array(invocation.arguments.dropFirst())
            for candidate in (try? candidates(kind, words: words, access: access)) ?? [] {
                context.print(candidate)
            }
            return .ok
        }
    )

    /// The candidates of a kind; `words` are the arguments typed before the one being completed.
    static func candidates(_ kind: DynamicCompletion, words: [String], access: ClusterAccess) throws -> [String] {
        switch kind {
        case .commands:
            var command = Meshctl.root
            for word in words {
                guard let next = command.subcommand(named: word) else { return [] }
                command = next
            }
            return command.visibleSubcommands.map(\.name)
        case .contexts:
            return try access.kubeconfig().contextNames
        case .clusters:
            return try access.kubeconfig().clusters.keys.sorted()
        case .users:
            return try access.kubeconfig().users.keys.sorted()
        case .namespaces:
            return try names(of: .namespaces, namespace: nil, access: access)
        case .nodes:
            return try names(of: .nodes, namespace: nil, access: access)
        case .pods:
            return try names(of: .pods, namespace: "", access: access)
        }
    }

    /// The names of a resource's objects; `namespace` "" means the selected one (-n, else the context's).
    private static func names(of resource: APIResource, namespace: String?, access: ClusterAccess) throws -> [String] {
        let client = try access.client(CommandContext(standardOutput: BufferOutput(), standardError: BufferOutput()))
        let scope = namespace == "" ? client.config.namespace : namespace
        return try client.list(resource, namespace: scope).items.compactMap { KubeObject($0).name }.sorted()
    }
}

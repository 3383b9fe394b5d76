import MeshCore
import MeshKube

/// `meshctl kubeconfig contexts`: the contexts of the merged kubeconfig.
enum KubeconfigContextsCommand {
    static let output = OutputFormat.option([.table, .name, .json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "contexts",
        abstract: "List the kubeconfig contexts",
        discussion: """
            List the contexts of the merged kubeconfig with their cluster, user and namespace. The context meshctl
            uses (--context, else current-context) is marked with *.
            """,
        examples: [
            .init("List the contexts", "meshctl kubeconfig contexts"),
            .init("Only their names, for scripts", "meshctl kubeconfig contexts -o name"),
        ],
        options: [output],
        run: { invocation, context in
            let globals = GlobalOptions(invocation.options)
            let kubeconfig = try ClusterAccess(globals, environment: context.environment).kubeconfig()
            let selected = globals.context ?? kubeconfig.currentContext
            let names = kubeconfig.contextNames
            let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .table
            switch format {
            case .name:
                context.standardOutput.write(names.map { $0 + "\n" }.joined())
            case .json, .yaml:
                let items: [Value] = names.map { name in
                    let entry = kubeconfig.contexts[name] ?? KubeconfigContext()
                    var item: Value = [
                        "name": .string(name), "cluster": .string(entry.cluster), "user": .string(entry.user),
                        "current": .bool(name == selected),
                    ]
                    if let namespace = entry.namespace { item["namespace"] = .string(namespace) }
                    return item
                }
                context.standardOutput.write(ObjectPrinter.render(["contexts": .array(items)], format: format))
            case .table, .wide:
                guard !names.isEmpty else {
                    context.printError("No contexts found in \(kubeconfig.files.isEmpty ? "any kubeconfig file" : kubeconfig.files.joined(separator: ", ")).")
                    return .ok
                }
                let rows = names.map { name -> [String] in
                    let entry = kubeconfig.contexts[name] ?? KubeconfigContext()
                    return [name == selected ? "*" : "", name, entry.cluster, entry.user, entry.namespace ?? ""]
                }
                context.standardOutput.write(
                    TableWriter.render(header: ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], rows: rows))
            }
            return .ok
        }
    )
}

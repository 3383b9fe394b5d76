import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl gateway list`: one row per Gateway with its hosts, ports, TLS, routes and gateway pods.
enum GatewayListCommand {
    static let allNamespaces = OptionSpec(long: "all-namespaces", short: "A", kind: .flag, help: "List the gateways of every namespace")
    static let output = OutputFormat.option([.table, .json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "list",
        abstract: "List Gateways with their hosts, ports, TLS, routes and gateway pods",
        discussion: """
            One row per Gateway of the namespace (-n, else the context's), or of every namespace with -A: the
            hosts and ports it opens, its TLS (mode and certificate secret), the routes of the VirtualServices
            bound to it (from any namespace), and how many gateway pods its selector picks — "none" when no pod
            would serve it. -o json|yaml prints the same as `gateway describe` for each gateway.
            """,
        examples: [
            .init("The gateways of the current namespace", "meshctl gateway list"),
            .init("Every gateway, as JSON", "meshctl gateway list -A -o json"),
        ],
        options: [allNamespaces, output],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let scope = try GatewayScope(invocation, context)
        let (globals, client, namespace) = (scope.globals, scope.client, scope.namespace)
        let all = invocation.options.bool(allNamespaces)
        let snapshot = try ClusterSnapshot.load(client, kinds: [.gateway, .virtualService], rootNamespace: globals.meshNamespace)
        let reports = snapshot.gateways
            .filter { all || $0.namespace == namespace }
            .sorted { ($0.namespace ?? "", $0.name) < ($1.namespace ?? "", $1.name) }
            .map { GatewayReport($0, in: snapshot) }
        let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .table
        if format == .json || format == .yaml {
            context.standardOutput.write(ObjectPrinter.render(["items": .array(reports.map(\.value))], format: format))
            return .ok
        }
        guard !reports.isEmpty else {
            context.printError(all ? "No Gateways found." : "No Gateways found in \(namespace).")
            return .ok
        }
        let rows = reports.map { report -> [String] in
            [report.namespace, report.name,
             Array(Set(report.servers.flatMap(\.hosts))).sorted().joined(separator: ","),
             report.servers.map(\.portText).joined(separator: ","),
             report.servers.map(\.tlsText).joined(separator: ","),
             cell(report.bindings.flatMap(\.routes)),
             report.pods.map { $0.isEmpty ? "none" : "\($0.count)" } ?? "?"]
        }
        context.standardOutput.write(TableWriter.render(header: ["NAMESPACE", "NAME", "HOSTS", "PORTS", "TLS", "ROUTES", "PODS"], rows: rows))
        return .ok
    }

    private static func cell(_ items: [String]) -> String {
        items.isEmpty ? "-" : items.joined(separator: "; ")
    }
}

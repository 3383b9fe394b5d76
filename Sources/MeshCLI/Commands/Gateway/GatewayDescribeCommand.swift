import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl gateway describe NAME`: a Gateway's servers, bound VirtualServices and routes, pods and problems.
enum GatewayDescribeCommand {
    static let output = OutputFormat.option([.table, .json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "describe",
        abstract: "Show a Gateway's servers, routes, gateway pods and problems",
        discussion: """
            Show one Gateway of the namespace (-n, else the context's): each server's port, hosts and TLS; the
            VirtualServices bound to it (from any namespace) and their routes; the gateway pods its selector picks
            in any namespace; and the problems found — no pod selected, a certificate secret missing where the
            gateway pods run, a host no VirtualService binds, a bound host the gateway does not have.
            Exit code 1 when the gateway does not exist.
            """,
        examples: [
            .init("Describe the shop gateway", "meshctl gateway describe shop -n web"),
        ],
        options: [output],
        arguments: [ArgumentSpec("NAME", help: "The Gateway's name")],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let scope = try GatewayScope(invocation, context)
        let (globals, client, namespace) = (scope.globals, scope.client, scope.namespace)
        let name = invocation.arguments[0]
        let snapshot = try ClusterSnapshot.load(client, kinds: [.gateway, .virtualService], rootNamespace: globals.meshNamespace)
        guard let gateway = snapshot.gateway(namespace: namespace, name: name) else {
            throw GatewayNotFound(namespace: namespace, name: name)
        }
        let report = GatewayReport(gateway, in: snapshot)
        if let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)), format != .table {
            context.standardOutput.write(ObjectPrinter.render(report.value, format: format))
            return .ok
        }
        context.standardOutput.write(text(report))
        return .ok
    }

    static func text(_ report: GatewayReport) -> String {
        var lines = ["Name:       \(report.name)", "Namespace:  \(report.namespace)", "Selector:   \(report.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"]
        switch report.pods {
        case nil: lines.append("Pods:       unknown")
        case let pods? where pods.isEmpty: lines.append("Pods:       none match the selector")
        case let pods?: lines.append("Pods:       " + pods.map { "\($0.namespace)/\($0.name ?? "")" }.joined(separator: ", "))
        }
        lines.append("Servers:")
        for server in report.servers {
            lines.append("  \(server.portText) (\(server.portName ?? "-"))  hosts: \(server.hosts.joined(separator: ", "))  TLS: \(server.tlsText)")
        }
        lines.append("VirtualServices:" + (report.bindings.isEmpty ? " none" : ""))
        for binding in report.bindings {
            lines.append("  \(binding.namespace)/\(binding.name)  hosts: \(binding.hosts.joined(separator: ", "))")
            lines += binding.routes.map { "    \($0)" }
        }
        lines.append("Problems:" + (report.problems.isEmpty ? " none" : ""))
        lines += report.problems.map { "  \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A gateway named on the command line that is not there (exit 1, like any object the API does not have).
struct GatewayNotFound: Error, CustomStringConvertible, ExitCodeProviding {
    var namespace: String
    var name: String
    var description: String { "gateway \"\(name)\" not found in namespace \(namespace)" }
    var exitCode: ExitCode { .failure }
}

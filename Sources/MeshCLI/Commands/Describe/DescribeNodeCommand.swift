import MeshCore
import MeshKube

/// `meshctl describe node NAME|IP`.
enum DescribeNodeCommand {
    /// The same `-o table|json|yaml` for every describe command.
    static let output = DescribeCommand.output

    static let spec: CommandSpec = CommandSpec(
        name: "node",
        abstract: "Describe a node and the mesh workloads on it",
        discussion: """
            Show a node's identity, addresses, conditions, capacity and allocatable resources, then the mesh view
            of its pods: control-plane components in the mesh namespace, ingress and egress gateways, meshed
            workloads (sidecar native or classic, proxy image and version, revision) and unmeshed ones, the CPU
            and memory requested by sidecars against applications, and the node's recent events. The node can be
            named by one of its addresses.
            """,
        examples: [
            .init("Describe the node named worker-1", "meshctl describe node worker-1"),
            .init("By IP, as JSON", "meshctl describe node 10.0.0.12 -o json"),
        ],
        options: [output],
        arguments: [ArgumentSpec("NODE", help: "Node name or IP address", completion: .dynamic(.nodes))],
        run: { invocation, context in
            let globals = GlobalOptions(invocation.options)
            let client = try ClusterAccess(invocation, context: context).client(context)
            let node = try find(client, invocation.arguments[0])
            let name = KubeObject(node).name
            let pods = try client.list(.pods, options: ListOptions(fieldSelector: "spec.nodeName=\(name)", allNamespaces: true)).items
            let events = (try? client.list(.events, options: ListOptions(fieldSelector: "involvedObject.kind=Node,involvedObject.name=\(name)", allNamespaces: true)).items) ?? []
            let description = NodeDescription(node: node, pods: pods, events: events, meshNamespace: globals.meshNamespace)
            switch invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .table {
            case .json: context.standardOutput.write(ObjectPrinter.render(description.value, format: .json))
            case .yaml: context.standardOutput.write(ObjectPrinter.render(description.value, format: .yaml))
            default: context.standardOutput.write(description.text)
            }
            return .ok
        }
    )

    /// The node named `text`, or the node with an address equal to `text`.
    static func find(_ client: KubeClient, _ text: String) throws(KubeError) -> Value {
        do {
            return try client.get(.nodes, name: text)
        } catch where error.isNotFound {
            let nodes = try client.list(.nodes).items
            if let match = nodes.first(where: { KubeObject($0).addresses.contains { $0.address == text } }) { return match }
            throw error
        }
    }
}

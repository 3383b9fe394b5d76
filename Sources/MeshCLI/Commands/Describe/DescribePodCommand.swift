import MeshCore
import MeshKube

/// `meshctl describe pod NAME[.NAMESPACE]`.
enum DescribePodCommand {
    /// The same `-o table|json|yaml` for every describe command.
    static let output = DescribeCommand.output

    static let spec: CommandSpec = CommandSpec(
        name: "pod",
        abstract: "Describe a pod's mesh configuration",
        discussion: """
            Show the services selecting the pod and their ports, the VirtualServices and DestinationRules for
            those hosts (subsets, traffic policy), the effective mTLS mode from PeerAuthentication, the
            AuthorizationPolicies and RequestAuthentications that select it, its sidecar and version, and whether
            it is exposed through an ingress gateway.
            """,
        examples: [
            .init("Describe a pod in the current namespace", "meshctl describe pod reviews-v1-7d8f"),
            .init("In namespace shop, as JSON", "meshctl describe pod reviews-v1-7d8f.shop -o json"),
        ],
        options: [output],
        arguments: [ArgumentSpec("POD", help: "[pod/]NAME[.NAMESPACE]", completion: .dynamic(.pods))],
        run: { invocation, context in
            let globals = GlobalOptions(invocation.options)
            let client = try ClusterAccess(invocation, context: context).client(context)
            var name = invocation.arguments[0]
            if name.hasPrefix("pod/") { name.removeFirst(4) } else if name.hasPrefix("pods/") { name.removeFirst(5) }
            var namespace = globals.namespace ?? client.config.namespace
            if let dot = name.lastIndex(of: ".") {
                namespace = String(name[name.index(after: dot)...])
                name = String(name[..<dot])
            }
            let pod = try client.get(.pods, name: name, namespace: namespace)
            func istio(_ group: String, _ plural: String, _ kind: String) -> [Value] {
                let resource = APIResource(group: group, version: "v1", name: plural, kind: kind, namespaced: true)
                return (try? client.list(resource, options: ListOptions(allNamespaces: true)).items) ?? []
            }
            var objects = PodDescription.MeshObjects()
            objects.services = try client.list(.services, namespace: namespace).items
            objects.virtualServices = istio("networking.istio.io", "virtualservices", "VirtualService")
            objects.destinationRules = istio("networking.istio.io", "destinationrules", "DestinationRule")
            objects.peerAuthentications = istio("security.istio.io", "peerauthentications", "PeerAuthentication")
            objects.authorizationPolicies = istio("security.istio.io", "authorizationpolicies", "AuthorizationPolicy")
            objects.requestAuthentications = istio("security.istio.io", "requestauthentications", "RequestAuthentication")
            let description = PodDescription(pod: pod, objects: objects, meshNamespace: globals.meshNamespace)
            switch invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .table {
            case .json: context.standardOutput.write(ObjectPrinter.render(description.value, format: .json))
            case .yaml: context.standardOutput.write(ObjectPrinter.render(description.value, format: .yaml))
            default: context.standardOutput.write(description.text)
            }
            return .ok
        }
    )
}

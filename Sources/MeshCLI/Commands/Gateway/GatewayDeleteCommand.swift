import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl gateway delete NAME`: the Gateway and the VirtualServices meshctl created for it.
enum GatewayDeleteCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "delete",
        abstract: "Delete a Gateway and the VirtualServices meshctl created for it",
        discussion: """
            Delete the Gateway NAME of the namespace (-n, else the context's) and the VirtualServices that
            `meshctl gateway create` made for it (labelled app.kubernetes.io/managed-by=meshctl and
            gateway.meshctl.io/name=NAME). Other VirtualServices bound to the gateway are left alone, with a
            warning. Exit code 1, with nothing deleted, when the gateway does not exist.
            """,
        examples: [
            .init("Delete the shop gateway and its routes", "meshctl gateway delete shop -n web"),
        ],
        arguments: [ArgumentSpec("NAME", help: "The Gateway's name")],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let scope = try GatewayScope(invocation, context)
        let (client, namespace) = (scope.client, scope.namespace)
        let name = invocation.arguments[0]
        do {
            _ = try client.get(IstioAPI.resource(.gateway), name: name, namespace: namespace)
        } catch {
            guard error.isNotFound else { throw error }
            throw GatewayNotFound(namespace: namespace, name: name)
        }
        let routes = try IstioAPI.list(client, .virtualService, namespace: namespace).compactMap { value -> Resource<VirtualServiceSpec>? in
            guard case .virtualService(let vs)? = try? MeshResource.decode(value) else { return nil }
            return vs
        }
        for vs in routes where GatewayOwnership.isRoute(vs.metadata.labels, of: name) {
            try client.delete(IstioAPI.resource(.virtualService), name: vs.name, namespace: namespace)
            context.print("\(IstioAPI.displayName(.virtualService, vs.name)) deleted")
        }
        for vs in routes where !GatewayOwnership.isRoute(vs.metadata.labels, of: name)
            && (vs.spec.gateways ?? []).contains(where: { $0 == name || $0 == "\(namespace)/\(name)" }) {
            context.printError("Warning: VirtualService \(namespace)/\(vs.name) is bound to the gateway but was not created by meshctl for it; left in place")
        }
        try client.delete(IstioAPI.resource(.gateway), name: name, namespace: namespace)
        context.print("\(IstioAPI.displayName(.gateway, name)) deleted")
        return .ok
    }
}

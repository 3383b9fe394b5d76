import MeshCore
import MeshKube

/// `meshctl authz delete`: delete AuthorizationPolicies by name.
enum AuthzDeleteCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "delete",
        abstract: "Delete AuthorizationPolicies",
        discussion: """
            Delete the named AuthorizationPolicies of the namespace (-n, else the context's). Every name is tried;
            a policy that does not exist is reported and makes the command exit 1, like kubectl delete.
            """,
        examples: [
            .init("Delete a policy made with meshctl authz allow", "meshctl authz delete sleep-get -n foo"),
        ],
        arguments: [ArgumentSpec("NAME", help: "The AuthorizationPolicies to delete", arity: .oneOrMore)],
        run: run
    )

    /// A policy that is not there: the command goes on with the other names, then fails.
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let globals = GlobalOptions(invocation.options)
        let client = try ClusterAccess(invocation, context: context).client(context)
        let namespace = globals.namespace ?? client.config.namespace
        let resource = try client.resolveResource("authorizationpolicies")
        var missing: [String] = []
        for name in invocation.arguments {
            do {
                try client.delete(resource, name: name, namespace: namespace)
                context.standardOutput.write("authorizationpolicy.security.istio.io/\(name) deleted\n")
            } catch {
                guard error.isNotFound else { throw error }
                missing.append(name)
            }
        }
        guard missing.isEmpty else {
            throw NotFound(description: missing.map { "AuthorizationPolicy \(namespace)/\($0) not found" }.joined(separator: "\n"))
        }
        return .ok
    }
}

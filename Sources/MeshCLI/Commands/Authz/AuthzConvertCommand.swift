import MeshCore
import MeshPolicy

/// `meshctl authz convert`: legacy Istio RBAC (rbac.istio.io/v1alpha1) → AuthorizationPolicies.
enum AuthzConvertCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "convert",
        abstract: "Convert legacy Istio RBAC (ServiceRole, ServiceRoleBinding, ClusterRbacConfig) to AuthorizationPolicies",
        discussion: """
            Read rbac.istio.io/v1alpha1 objects (removed in Istio 1.6) and print AuthorizationPolicies
            (security.istio.io/v1beta1) with the same effect, following Istio's migration rules: a role's services
            become workload selectors (give the Kubernetes Services in the input so their pod selectors are
            known), its methods, paths, hosts and ports become to.operation and its constraints when conditions;
            a binding's users become principals, groups request.auth.claims[groups] conditions, and properties the
            matching source fields or conditions; the ClusterRbacConfig mode becomes allow-nothing policies where
            RBAC was on (mesh-wide ones go to the root namespace -i) and allow-all ones where it was off.
            PERMISSIVE bindings and configs give dry-run policies.

            The policies go to standard output as YAML, ready for kubectl apply -f -. Anything that cannot be
            expressed is reported on standard error; an access rule or subject that cannot be expressed is
            dropped, so the result allows less, never more.

            Exit codes: 0 everything converted, 79 something could not be expressed (the output is still
            printed), 65 an input that is not YAML or not a valid RBAC object, 64 no -f.
            """,
        examples: [
            .init("Convert a namespace's RBAC objects with its Services", "kubectl get servicerole,servicerolebinding,service -n foo -o yaml | meshctl authz convert -f -"),
            .init("Convert files and apply the result", "meshctl authz convert -f rbac/ > policies.yaml && kubectl apply -f policies.yaml"),
        ],
        options: [ValidateCommand.file],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let paths = invocation.options.strings(ValidateCommand.file)
        guard !paths.isEmpty else { throw UsageError("at least one -f/--filename is required", at: invocation.path) }
        let source = ManifestSource(paths: paths)
        if let failure = source.failures.first { throw failure }
        let globals = GlobalOptions(invocation.options)
        let converter = RBACConverter(rootNamespace: globals.meshNamespace, defaultNamespace: globals.namespace ?? "default")
        let documents = source.documents.map { RBACConverter.Document(value: $0.value, place: "\($0.file): document \($0.index)") }
        let result = try converter.convert(documents)
        context.standardOutput.write(result.yaml)
        for note in result.notes { context.printError("Note: \(note)") }
        for problem in result.problems { context.printError("Warning: \(problem)") }
        if result.policies.isEmpty && result.problems.isEmpty { context.printError("No legacy RBAC objects found.") }
        return result.problems.isEmpty ? .ok : .problemsFound
    }
}

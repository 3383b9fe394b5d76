import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl authz list`: every AuthorizationPolicy in one line: where it applies and what it allows or denies.
enum AuthzListCommand {
    static let policies = OptionSpec(
        long: "policies", kind: .repeatable, valueName: "FILE|DIR|-",
        help: "Read AuthorizationPolicies from files instead of the cluster; repeatable", completion: .file(extensions: ["yaml", "yml", "json"]))
    static let allNamespaces = OptionSpec(long: "all-namespaces", short: "A", kind: .flag, help: "List the policies of every namespace")
    static let output = OutputFormat.option([.table, .wide, .name, .json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "list",
        abstract: "List AuthorizationPolicies with what each allows or denies, one line each",
        discussion: """
            List the AuthorizationPolicies of the namespace (-n, else the context's), or of every namespace with -A,
            from the cluster or from --policies files. Each line says where the policy applies (its selector, the
            whole namespace, or the whole mesh for the root namespace -i) and what its rules allow, deny, audit or
            send to an extension provider. -o wide adds problems validation finds.
            """,
        examples: [
            .init("The policies of the current namespace", "meshctl authz list"),
            .init("Every policy on the cluster", "meshctl authz list -A"),
            .init("Policies in a directory, before applying them", "meshctl authz list -A --policies policies/"),
        ],
        options: [policies, allNamespaces, output],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let globals = GlobalOptions(invocation.options)
        let all = invocation.options.bool(allNamespaces)
        let files = invocation.options.strings(policies)
        var values: [Value] = []
        var namespace = globals.namespace ?? "default"
        if files.isEmpty {
            let client = try ClusterAccess(invocation, context: context).client(context)
            namespace = globals.namespace ?? client.config.namespace
            let resource = try client.resolveResource("authorizationpolicies")
            values = try client.list(resource, namespace: all ? nil : namespace, options: ListOptions(allNamespaces: all)).items.map { item in
                var value = item
                if value["apiVersion"] == nil { value["apiVersion"] = .string(resource.groupVersion) }
                if value["kind"] == nil { value["kind"] = .string(resource.kind) }
                return value
            }
        } else {
            let source = ManifestSource(paths: files)
            if let failure = source.failures.first { throw failure }
            values = source.documents.map(\.value)
        }
        var rows: [(Resource<AuthorizationPolicySpec>, [ValidationIssue])] = []
        for value in values {
            guard case .authorizationPolicy(var policy)? = try MeshResource.decode(value) else { continue }
            if policy.metadata.namespace == nil { policy.metadata.namespace = namespace }
            if !all && policy.namespace != namespace { continue }
            rows.append((policy, Validator.validate(.authorizationPolicy(policy)).filter { $0.severity == .error }))
        }
        rows.sort { ($0.0.namespace ?? "", $0.0.name) < ($1.0.namespace ?? "", $1.0.name) }
        let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) ?? .table
        switch format {
        case .json, .yaml:
            context.standardOutput.write(ObjectPrinter.render(["apiVersion": "v1", "kind": "List", "items": .array(rows.map(\.0.value))], format: format))
        case .name:
            context.standardOutput.write(rows.map { "authorizationpolicy/\($0.0.name)\n" }.joined())
        case .table, .wide:
            guard !rows.isEmpty else {
                context.printError(all ? "No AuthorizationPolicies found." : "No AuthorizationPolicies found in \(namespace).")
                return .ok
            }
            let wide = format == .wide
            var header = ["NAMESPACE", "NAME", "ACTION", "APPLIES TO", "RULES"]
            if wide { header.append("PROBLEMS") }
            let table = rows.map { policy, errors -> [String] in
                var row = [policy.namespace ?? "", policy.name, policy.spec.action ?? "ALLOW",
                           PolicySummary.scope(policy, rootNamespace: globals.meshNamespace), PolicySummary.effect(policy.spec)]
                if wide { row.append(errors.isEmpty ? "-" : errors.map { "\($0.path): \($0.message)" }.joined(separator: "; ")) }
                return row
            }
            context.standardOutput.write(TableWriter.render(header: header, rows: table))
        }
        return .ok
    }
}

import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl authz allow|deny`: write one AuthorizationPolicy from flags, validated before anything is sent.
///
/// Like `kubectl create`, it creates the policy and fails when one of that name exists (delete it first, or
/// edit the YAML from `--dry-run -o yaml` and `kubectl apply` it). `--dry-run` prints the policy and touches
/// nothing, not even the kubeconfig.
enum AuthzAuthorCommand {
    static let selector = OptionSpec(long: "selector", kind: .repeatable, valueName: "K=V,…", help: "The workload labels the policy applies to (default: every workload in the namespace)")
    static let fromPrincipal = OptionSpec(long: "from-principal", kind: .repeatable, valueName: "ID", help: "A source principal (mTLS identity), e.g. cluster.local/ns/foo/sa/sleep (or comma-separated)")
    static let fromNamespace = OptionSpec(long: "from-namespace", kind: .repeatable, valueName: "NS", help: "A source namespace (or comma-separated)")
    static let requestPrincipal = OptionSpec(long: "request-principal", kind: .repeatable, valueName: "ISS/SUB", help: "A JWT principal issuer/subject (* for any JWT) (or comma-separated)")
    static let method = OptionSpec(long: "method", kind: .repeatable, valueName: "METHOD", help: "An HTTP method (or comma-separated)")
    static let path = OptionSpec(long: "path", kind: .repeatable, valueName: "PATH", help: "A path: exact, prefix*, *suffix or a {*}/{**} template (or comma-separated)")
    static let port = OptionSpec(long: "port", kind: .repeatable, valueName: "N", help: "A destination port (or comma-separated)")
    static let when = OptionSpec(long: "when", kind: .repeatable, valueName: "KEY=V,…", help: "A condition KEY=VALUE[,…] or KEY!=VALUE[,…], e.g. 'request.auth.claims[groups]=admin' (all must hold)")
    static let dryRun = OptionSpec(long: "dry-run", kind: .flag, help: "Print the policy (YAML unless -o json) and change nothing")
    static let output = OutputFormat.option([.yaml, .json, .name])

    static let allowSpec = spec(.allow)
    static let denySpec = spec(.deny)

    static func spec(_ action: AuthorizationAction) -> CommandSpec {
        let verb = action == .allow ? "allow" : "deny"
        return CommandSpec(
            name: verb,
            abstract: "Create an \(action.rawValue) AuthorizationPolicy from flags",
            discussion: """
                Create an AuthorizationPolicy with action \(action.rawValue) and one rule: requests from any of the
                given principals, namespaces or request principals (each flag's values are alternatives, the flags
                must all match), to any of the given methods, paths and ports, when every --when condition holds.
                With none of these flags the rule matches every request, so the policy \(verb)s everything on the
                selected workloads. The policy is checked with Istio's validation before anything is sent.

                Like kubectl create, the policy is created in the namespace (-n, else the context's) and an
                existing policy of the same name is an error; delete it first with meshctl authz delete.
                --dry-run prints the policy and changes nothing.

                Exit codes: 0 created, 64 bad flags, 65 a policy Istio would reject, 1 the cluster failed
                (including "already exists").
                """,
            examples: action == .allow ? [
                .init("Let sleep GET from httpbin", "meshctl authz allow sleep-get -n foo --selector app=httpbin --from-principal cluster.local/ns/foo/sa/sleep --method GET"),
                .init("Admins (a JWT claim) may POST, shown but not created", "meshctl authz allow admins-post -n foo --selector app=api --method POST --when 'request.auth.claims[groups]=admin' --dry-run"),
            ] : [
                .init("Keep other namespaces off /admin", "meshctl authz deny no-admin -n foo --selector app=web --path '/admin*' --when 'source.namespace!=foo'"),
            ],
            options: [selector, fromPrincipal, fromNamespace, requestPrincipal, method, path, port, when, dryRun, output],
            arguments: [ArgumentSpec("NAME", help: "The name of the AuthorizationPolicy")],
            run: { invocation, context in try run(action, invocation, context) }
        )
    }

    static func run(_ action: AuthorizationAction, _ invocation: Invocation, _ context: CommandContext) throws -> ExitCode {
        let globals = GlobalOptions(invocation.options)
        let dry = invocation.options.bool(dryRun)
        let client = dry ? nil : try ClusterAccess(invocation, context: context).client(context)
        let namespace = globals.namespace ?? client?.config.namespace ?? "default"
        let draft = try draft(action, invocation, namespace: namespace)
        let problems = draft.problems()
        if !problems.isEmpty {
            throw AuthzPolicyLoader.InvalidPolicy(description: "Istio would reject AuthorizationPolicy \(namespace)/\(draft.name): "
                + problems.map { "\($0.path): \($0.message)" }.joined(separator: "; "))
        }
        let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:))
        guard let client else {
            context.standardOutput.write(render(draft.resource().value, format: format ?? .yaml, note: "created (dry run)"))
            return .ok
        }
        let resource = try client.resolveResource("authorizationpolicies")
        let created: Value
        do {
            created = try client.create(resource, draft.resource(apiVersion: resource.groupVersion).value, namespace: namespace)
        } catch {
            if error.isConflict {
                throw KubeError(.api, "AuthorizationPolicy \(namespace)/\(draft.name) already exists; delete it first (meshctl authz delete \(draft.name) -n \(namespace)) or change it with kubectl apply", httpStatus: 409, reason: "AlreadyExists")
            }
            throw error
        }
        context.standardOutput.write(render(created, format: format, note: "created"))
        return .ok
    }

    /// The draft the flags describe; a malformed flag is a usage error naming it.
    static func draft(_ action: AuthorizationAction, _ invocation: Invocation, namespace: String) throws -> PolicyDraft {
        let options = invocation.options
        guard let name = invocation.arguments.first, !name.isEmpty else { throw UsageError("NAME is required", at: invocation.path) }
        var draft = PolicyDraft(name: name, namespace: namespace, action: action)
        for text in options.strings(selector) {
            draft.selector.merge(try AuthzRequestOptions.labels(text, at: invocation.path, flag: "--selector")) { $1 }
        }
        func values(_ option: OptionSpec) throws -> [String] {
            let values = options.strings(option).flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            if values.contains(where: \.isEmpty) { throw UsageError("--\(option.long) has an empty value", at: invocation.path) }
            return values
        }
        draft.principals = try values(fromPrincipal)
        draft.namespaces = try values(fromNamespace)
        draft.requestPrincipals = try values(requestPrincipal)
        draft.methods = try values(method)
        draft.paths = try values(path)
        draft.ports = try values(port)
        for port in draft.ports where !(port.allSatisfy(\.isASCII) && Int(port).map { (0...65535).contains($0) } == true) {
            throw UsageError("--port must be a number 0..65535, got \"\(port)\"", at: invocation.path)
        }
        for text in options.strings(when) {
            do throws(PolicyError) {
                draft.conditions.append(try PolicyDraft.condition(text))
            } catch {
                throw UsageError("--when: \(error.message)", at: invocation.path)
            }
        }
        return draft
    }

    /// The object as `-o` asks, or kubectl's `authorizationpolicy.security.istio.io/NAME created` line.
    static func render(_ object: Value, format: OutputFormat?, note: String) -> String {
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        switch format {
        case .json?, .yaml?: return ObjectPrinter.render(object, format: format!)
        case .name?: return "authorizationpolicy.security.istio.io/\(name)\n"
        default: return "authorizationpolicy.security.istio.io/\(name) \(note)\n"
        }
    }
}

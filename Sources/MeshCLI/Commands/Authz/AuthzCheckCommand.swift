import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl authz check`: would this request be allowed, and why?
enum AuthzCheckCommand {
    static let policies = OptionSpec(
        long: "policies", kind: .repeatable, valueName: "FILE|DIR|-",
        help: "Read AuthorizationPolicies from files instead of the cluster; repeatable", completion: .file(extensions: ["yaml", "yml", "json"]))
    static let labels = OptionSpec(long: "labels", valueName: "K=V,…", help: "The workload's labels, when it is not a pod on the cluster")
    static let output = OutputFormat.option([.json, .yaml])

    static let spec: CommandSpec = CommandSpec(
        name: "check",
        abstract: "Tell whether a request would be allowed by AuthorizationPolicies, and why",
        discussion: """
            Evaluate Istio AuthorizationPolicies for one request with Istio's semantics: policies in the mesh's root
            namespace (-i) and in the workload's namespace apply when their selector matches the workload; CUSTOM
            policies go first (their provider is assumed to allow, and this is said), then any matching DENY policy
            denies, then the request is allowed when no ALLOW policy applies or one of them matches. AUDIT and
            dry-run policies are reported but never decide.

            The workload is a pod on the cluster (POD[.NAMESPACE], labels read from it) or is given with -n and
            --labels. Policies come from --policies (files, nothing on the cluster is read) or else from the
            cluster. The answer names the deciding policy and rule and says why every other policy did not apply.

            Exit codes: 0 allowed, 79 denied, 65 when a policy cannot be read or Istio would reject it, 64 for a
            bad request description.
            """,
        examples: [
            .init("Offline, from files", "meshctl authz check -n foo --labels app=httpbin --policies policies/ --request 'GET /admin' --principal cluster.local/ns/foo/sa/sleep"),
            .init("Against the cluster's policies and a pod's labels", "meshctl authz check httpbin-5c5b9d8d9f-x7k2p.foo --request 'POST /data' --source-namespace bar"),
            .init("A JWT with a list-valued claim, as JSON", "meshctl authz check -n foo --labels app=api --policies p.yaml --request 'GET /' --request-principal https://idp/alice --claims '{\"groups\":[\"admin\"]}' -o json"),
        ],
        options: [policies, labels] + AuthzRequestOptions.all + [output],
        arguments: [ArgumentSpec("POD", help: "A pod on the cluster, [pod/]NAME[.NAMESPACE]", arity: .optional, completion: .dynamic(.pods))],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        var notes: [String] = []
        let request = try AuthzRequestOptions.build(invocation, notes: &notes)
        let globals = GlobalOptions(invocation.options)
        let files = invocation.options.strings(policies)
        let pod = invocation.arguments.first
        if invocation.arguments.count > 1 { throw UsageError("expected at most one POD, got \(invocation.arguments.count)", at: invocation.path) }
        if pod != nil && invocation.options.isSet(labels) { throw UsageError("give either POD or --labels, not both", at: invocation.path) }

        var client: KubeClient?
        func cluster() throws -> KubeClient {
            if let client { return client }
            let made = try ClusterAccess(invocation, context: context).client(context)
            client = made
            return made
        }
        let workload: Workload
        if let pod {
            workload = try podWorkload(pod, client: cluster(), path: invocation.path)
        } else {
            let namespace = try globals.namespace ?? (files.isEmpty ? cluster().config.namespace : "default")
            workload = Workload(namespace: namespace, labels: try invocation.options.string(labels).map { try AuthzRequestOptions.labels($0, at: invocation.path) } ?? [:])
        }
        let compiled: [CompiledPolicy]
        if files.isEmpty {
            let namespaces = workload.namespace == globals.meshNamespace ? [workload.namespace] : [globals.meshNamespace, workload.namespace]
            compiled = try AuthzPolicyLoader.fromCluster(cluster(), namespaces: namespaces, context: context)
        } else {
            compiled = try AuthzPolicyLoader.fromFiles(files, defaultNamespace: workload.namespace)
        }
        for policy in compiled where !policy.notes.isEmpty {
            notes.append("\(policy.reference): \(policy.notes.joined(separator: "; "))")
        }
        let decision = AuthorizationEvaluator(policies: compiled, rootNamespace: globals.meshNamespace).evaluate(request, for: workload)
        if let format = invocation.options.string(output).flatMap(OutputFormat.init(rawValue:)) {
            var value = decision.value
            value["workload"] = ["namespace": .string(workload.namespace), "labels": .object(Value.Object(workload.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]
            value["notes"] = .array(notes.map(Value.string))
            context.standardOutput.write(ObjectPrinter.render(value, format: format))
        } else {
            context.standardOutput.write(text(decision, notes: notes))
        }
        return decision.isAllowed ? .ok : .problemsFound
    }

    /// The human form: verdict and reason, the deciding policy, then every policy and why.
    static func text(_ decision: AuthorizationDecision, notes: [String]) -> String {
        var lines = ["\(decision.isAllowed ? "ALLOWED" : "DENIED"): \(decision.reason)"]
        if let policy = decision.policy {
            lines.append("Policy: \(policy) (\(policy.action.rawValue)), rule \(decision.rule.map(String.init) ?? "-")")
        }
        if !decision.audited.isEmpty { lines.append("Audited by: \(decision.audited.map(\.description).joined(separator: ", "))") }
        if !decision.evaluations.isEmpty {
            lines.append("Policies:")
            for evaluation in decision.evaluations {
                lines.append("  \(evaluation.policy) (\(evaluation.policy.action.rawValue)): \(evaluation.explanation)")
            }
        }
        lines += notes.map { "Note: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[pod/]name[.namespace]` → the pod's namespace and labels.
    static func podWorkload(_ argument: String, client: KubeClient, path: CommandPath) throws -> Workload {
        var text = Substring(argument)
        if let slash = text.firstIndex(of: "/") {
            guard ["pod", "pods", "po"].contains(text[..<slash].lowercased()) else {
                throw UsageError("only pods can be checked, got \(argument)", at: path)
            }
            text = text[text.index(after: slash)...]
        }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard let name = parts.first, !name.isEmpty else { throw UsageError("POD must be [pod/]NAME[.NAMESPACE]", at: path) }
        let namespace = parts.count == 2 ? parts[1] : client.config.namespace
        let pod = KubeObject(try client.get(try client.resolveResource("pods"), name: name, namespace: namespace))
        return Workload(namespace: pod.namespace ?? namespace, labels: pod.labels, name: name)
    }
}

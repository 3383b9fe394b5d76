import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl analyze`: cross-resource problems in Istio configuration, on files or on the live cluster, reported
/// as istioctl analyze reports them.
enum AnalyzeCommand {
    static let file = OptionSpec(
        long: "filename", short: "f", kind: .repeatable, valueName: "FILE|DIR|-",
        help: "Analyze these files (directories are read recursively, - is standard input) instead of the cluster",
        completion: .file(extensions: ["yaml", "yml", "json"]))
    static let allNamespaces = OptionSpec(long: "all-namespaces", short: "A", kind: .flag, help: "Report on every namespace of the cluster")
    static let failureThreshold = OptionSpec(
        long: "failure-threshold", valueName: "LEVEL", help: "The least severe level that makes the exit code 79",
        defaultValue: "Error", allowedValues: AnalysisMessage.Level.allCases.map(\.rawValue))
    static let outputThreshold = OptionSpec(
        long: "output-threshold", valueName: "LEVEL", help: "The least severe level that is printed",
        defaultValue: "Info", allowedValues: AnalysisMessage.Level.allCases.map(\.rawValue))
    static let useKube = OptionSpec(
        long: "use-kube", kind: .flag, help: "With -f, analyze the files together with the cluster's resources (files win)")
    static let suppress = OptionSpec(
        long: "suppress", short: "S", kind: .repeatable, valueName: "CODE=RESOURCE",
        help: "Drop messages of this code or name for resources matching the pattern (* wildcards); repeatable")
    static let output = OutputFormat.option([.json, .yaml], help: "Output format: json or yaml (default: one line per message)")

    static let spec: CommandSpec = CommandSpec(
        name: "analyze",
        abstract: "Find problems across Istio resources, in files or on the cluster",
        discussion: """
            Check how resources fit together, with istioctl analyze's message codes and levels:
            IST0101 ReferencedResourceNotFound (a VirtualService bound to a Gateway that does not exist, a route
            to a host no Service or ServiceEntry provides, a subset no DestinationRule defines, a Gateway whose
            selector picks no pod, a certificate secret missing where the gateway pods run), IST0132
            VirtualServiceHostNotFoundInGateway, IST0173 DestinationRuleSubsetNotSelectPods, IST0106/IST0133
            for what Istio's validation rejects or warns about, and meshctl's MSH0001
            ConflictingPeerAuthentications (several mesh-wide or namespace-wide policies, or several selecting one
            workload: Istio silently applies only the oldest).

            --suppress CODE=RESOURCE drops messages whose code (IST0101) or name (ReferencedResourceNotFound) is
            CODE and whose resource, as printed (VirtualService shop/web), matches RESOURCE; * matches anything.

            With --use-kube, -f files are analyzed together with the cluster's resources: an object in the files
            replaces the cluster's object of the same kind, namespace and name (a change checked against what is
            deployed). Without it, with -f the files alone are analyzed and no cluster is touched: pod, Service and Secret checks run
            only when the files include Pods (or workloads with pod templates), Services or Secrets, and objects
            without a namespace are in -n (else "default"). Without -f the whole cluster is read and the messages
            of the namespace (-n, else the context's) are reported, or of every namespace with -A.

            Exit codes: 79 when a message is at or above --failure-threshold (Error by default), in every output
            format; 65 when a file is not YAML or JSON; 0 otherwise, with "✔ No validation issues found" on
            standard error when nothing was printed.
            """,
        examples: [
            .init("Analyze manifests before applying them", "meshctl analyze -f deploy/"),
            .init("The whole cluster, warnings fail too", "meshctl analyze -A --failure-threshold Warning"),
            .init("As JSON", "meshctl analyze -n shop -o json"),
            .init("A change checked against what is deployed", "meshctl analyze --use-kube -f new-routes.yaml -n shop"),
            .init("Ignore a known finding", "meshctl analyze -A --suppress 'IST0132=VirtualService legacy/*'"),
        ],
        options: [file, useKube, allNamespaces, suppress, failureThreshold, outputThreshold, output],
        group: "Policy",
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let options = invocation.options
        let globals = GlobalOptions(options)
        let paths = options.strings(file)
        var suppressions: [AnalysisSuppression] = []
        for text in options.strings(suppress) {
            guard let parsed = AnalysisSuppression(text) else {
                throw UsageError("--suppress needs CODE=RESOURCE, such as \"IST0101=VirtualService shop/*\" (got \"\(text)\")", at: invocation.path)
            }
            suppressions.append(parsed)
        }
        if options.bool(useKube) && paths.isEmpty {
            throw UsageError("--use-kube merges -f files with the cluster: give -f", at: invocation.path)
        }
        let snapshot: MeshSnapshot
        var target: String
        var scope: String? = nil
        var unreadable = false
        if paths.isEmpty {
            let client = try ClusterAccess(invocation, context: context).client(context)
            snapshot = try ClusterSnapshot.load(client, rootNamespace: globals.meshNamespace)
            scope = options.bool(allNamespaces) ? nil : (globals.namespace ?? client.config.namespace)
            target = scope.map { "namespace: \($0)" } ?? "all namespaces"
        } else {
            let source = ManifestSource(paths: paths)
            for failure in source.failures { context.printError("Error: \(failure)") }
            unreadable = !source.failures.isEmpty
            if options.bool(useKube) {
                let client = try ClusterAccess(invocation, context: context).client(context)
                let namespace = globals.namespace ?? client.config.namespace
                snapshot = try ClusterSnapshot.load(
                    client, rootNamespace: globals.meshNamespace, overrides: source.documents.map(\.value),
                    defaultNamespace: namespace)
                scope = options.bool(allNamespaces) ? nil : namespace
            } else {
                snapshot = MeshSnapshot(documents: source.documents.map(\.value), defaultNamespace: globals.namespace ?? "default",
                                        rootNamespace: globals.meshNamespace, complete: false)
            }
            let names = paths.map { $0 == "-" ? "<stdin>" : $0 }
            target = names.count == 1 ? names[0] : ":\n  - " + names.joined(separator: "\n  - ")
        }
        let messages = MeshAnalyzer.analyze(snapshot).filter { message in
            (scope == nil || message.origin.namespace == scope) && !suppressions.contains { $0.suppresses(message) }
        }
        let failAt = options.string(failureThreshold).flatMap(AnalysisMessage.Level.init(name:)) ?? .error
        let showFrom = options.string(outputThreshold).flatMap(AnalysisMessage.Level.init(name:)) ?? .info
        let shown = messages.filter { $0.level >= showFrom }
        if let format = options.string(output).flatMap(OutputFormat.init(rawValue:)) {
            context.standardOutput.write(ObjectPrinter.render(.array(shown.map(value)), format: format))
        } else if shown.isEmpty {
            if !target.hasPrefix(":") { target = " " + target + "." }
            context.printError("✔ No validation issues found when analyzing\(target)")
        } else {
            for message in shown { context.print(message.description) }
        }
        if unreadable { return .dataError }
        return messages.contains { $0.level >= failAt } ? .problemsFound : .ok
    }

    /// A message as istioctl's `-o json` prints it.
    static func value(_ message: AnalysisMessage) -> Value {
        var object: Value.Object = ["code": .string(message.code)]
        if let url = message.documentationURL { object["documentationUrl"] = .string(url) }
        object["level"] = .string(message.level.rawValue)
        object["message"] = .string(message.message)
        object["origin"] = .string(message.origin.description)
        return .object(object)
    }
}

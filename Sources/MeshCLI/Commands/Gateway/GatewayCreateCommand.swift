import MeshCore
import MeshKube
import MeshPolicy

/// `meshctl gateway create NAME`: a Gateway and the VirtualService that routes its hosts to services.
enum GatewayCreateCommand {
    static let host = OptionSpec(long: "host", kind: .repeatable, valueName: "HOST", help: "A host the gateway serves (shop.example.com, *.example.com); at least one")
    static let port = OptionSpec(long: "port", valueName: "PORT", help: "The port to open (default 443 with TLS, else 80)", valueType: .integer)
    static let tlsSecret = OptionSpec(long: "tls-secret", valueName: "SECRET", help: "Terminate TLS with the certificate in this secret (credentialName); implies --tls-mode SIMPLE")
    static let tlsMode = OptionSpec(
        long: "tls-mode", valueName: "MODE", help: "SIMPLE or MUTUAL (TLS ends at the gateway, needs --tls-secret) or PASSTHROUGH (TLS goes on to the service, routed by SNI)",
        allowedValues: GatewayPlan.TLSMode.allCases.map(\.rawValue))
    static let selector = OptionSpec(long: "selector", valueName: "LABELS", help: "Labels of the gateway pods that serve it", defaultValue: "istio=ingressgateway")
    static let route = OptionSpec(long: "route", kind: .repeatable, valueName: "PATH=SERVICE:PORT", help: "Send requests under PATH to SERVICE on PORT (SERVICE:PORT alone means /)")
    static let dryRun = OptionSpec(long: "dry-run", kind: .flag, help: "Print the objects and write nothing")
    static let output = OutputFormat.option([.yaml, .json])

    static let spec: CommandSpec = CommandSpec(
        name: "create",
        abstract: "Create a Gateway and the VirtualService that routes its hosts to services",
        discussion: """
            Write a Gateway (networking.istio.io/v1) that opens one port on the ingress gateway pods for the given
            hosts and, with --route, a VirtualService of the same name bound to it that sends path prefixes to
            services (longest prefix first). With --tls-secret the server is HTTPS on 443 with the secret as
            credentialName; with --tls-mode PASSTHROUGH it is TLS on 443 and the VirtualService routes by SNI.
            Both objects are checked with Istio's validation before anything is written and are labelled
            app.kubernetes.io/managed-by=meshctl, the VirtualService also gateway.meshctl.io/name=NAME, so
            `meshctl gateway delete` removes exactly the routes created here.

            After writing, the problems `meshctl gateway describe` would report are printed as warnings: no
            gateway pod matches the selector, the certificate secret is not in the namespace of the gateway pods
            (where Istio reads it), a host no route binds.

            --dry-run prints both objects (YAML unless -o json) and touches no cluster. Exit codes: 64 for
            inconsistent or invalid options (nothing is written), 1 when the API refuses a write (such as an
            existing gateway); a VirtualService that cannot be written takes its new Gateway away again.
            """,
        examples: [
            .init("Plain HTTP, everything to one service", "meshctl gateway create web -n shop --host shop.example.com --route frontend:80"),
            .init("HTTPS with a certificate secret and two routes", "meshctl gateway create shop -n web --host shop.example.com --tls-secret shop-cert --route /api=api:8080 --route /=frontend:80"),
            .init("TLS passed through to the service", "meshctl gateway create db -n data --host db.example.com --tls-mode PASSTHROUGH --route db:5432"),
            .init("Review the objects first", "meshctl gateway create web --host shop.example.com --route frontend:80 --dry-run"),
        ],
        options: [host, port, tlsSecret, tlsMode, selector, route, dryRun, output],
        arguments: [ArgumentSpec("NAME", help: "The Gateway's name (also the VirtualService's)")],
        run: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) async throws -> ExitCode {
        let options = invocation.options
        let access = ClusterAccess(invocation, context: context)
        let namespace = GlobalOptions(options).namespace ?? (try? access.loader.clientConfig(access.overrides).namespace) ?? "default"
        let plan: GatewayPlan
        do {
            let routes = try options.strings(route).map { text throws(PolicyError) in try GatewayRoute.parse(text) }
            plan = try GatewayPlan(.init(
                name: invocation.arguments[0], namespace: namespace, hosts: options.strings(host), port: options.int(port),
                tlsSecret: options.string(tlsSecret), tlsMode: options.string(tlsMode).flatMap(GatewayPlan.TLSMode.init(rawValue:)),
                selector: try labels(options.string(selector) ?? "istio=ingressgateway", at: invocation.path), routes: routes))
        } catch let error as PolicyError {
            throw UsageError(error.message, at: invocation.path)
        }
        let format = options.string(output).flatMap(OutputFormat.init(rawValue:))
        if options.bool(dryRun) {
            context.standardOutput.write(render(plan.resources.map(\.value), format: format ?? .yaml))
            return .ok
        }
        let client = try access.client(context)
        var written: [Value] = []
        let gateway = try client.create(IstioAPI.resource(.gateway), plan.gateway.value, namespace: namespace)
        written.append(gateway)
        if let virtualService = plan.virtualService {
            do {
                written.append(try client.create(IstioAPI.resource(.virtualService), virtualService.value, namespace: namespace))
            } catch {
                _ = try? client.delete(IstioAPI.resource(.gateway), name: plan.gateway.name, namespace: namespace)
                throw error
            }
        }
        for problem in problems(of: plan, client, rootNamespace: GlobalOptions(options).meshNamespace) {
            context.printError("Warning: \(problem)")
        }
        if let format {
            context.standardOutput.write(render(written, format: format))
        } else {
            for resource in plan.resources { context.print("\(IstioAPI.displayName(resource.kind, resource.name)) created") }
        }
        return .ok
    }

    /// What `gateway describe` would find wrong with the new gateway (no pod to serve it, its secret not where
    /// the gateway pods run, hosts no route binds); nothing when the cluster cannot tell.
    static func problems(of plan: GatewayPlan, _ client: KubeClient, rootNamespace: String) -> [String] {
        let selector = (plan.gateway.spec.selector ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        guard let pods = try? client.list(.pods, options: ListOptions(labelSelector: selector, allNamespaces: true)).items else { return [] }
        let documents = pods.map { pod -> Value in
            var value = pod
            value["kind"] = "Pod"
            return value
        } + plan.resources.map(\.value)
        var snapshot = MeshSnapshot(documents: documents, defaultNamespace: plan.gateway.namespace ?? "default", rootNamespace: rootNamespace, complete: true)
        snapshot.services = nil
        snapshot.secrets = (try? ClusterSnapshot.certificateSecrets(client, snapshot)) ?? nil
        return GatewayReport(plan.gateway, in: snapshot).problems
    }

    /// Several objects: YAML documents separated by `---` (ready for `kubectl apply -f -`), or a JSON `List`.
    static func render(_ objects: [Value], format: OutputFormat) -> String {
        if format == .json {
            return ObjectPrinter.render(["apiVersion": "v1", "kind": "List", "items": .array(objects)], format: .json)
        }
        return objects.map { ObjectPrinter.render($0, format: .yaml) }.joined(separator: "---\n")
    }

    /// `k=v,k2=v2` as labels; empty pairs are not allowed.
    static func labels(_ text: String, at path: CommandPath) throws -> [String: String] {
        let pairs = text.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false) }
        guard !pairs.isEmpty, pairs.allSatisfy({ $0.count == 2 && !$0[0].isEmpty }) else {
            throw UsageError("--selector must be key=value[,key=value…], got \"\(text)\"", at: path)
        }
        return Dictionary(pairs.map { (String($0[0]), String($0[1])) }, uniquingKeysWith: { $1 })
    }
}

import MeshCore
import MeshKube
import MeshManifest

/// `meshctl inject` (alias `kube-inject`): adds Istio sidecars to manifests, offline.
enum InjectCommand {
    static let filename = OptionSpec(
        long: "filename", short: "f", valueName: "FILE",
        help: "Manifest file, directory (read recursively) or - for standard input",
        completion: .file(extensions: ["yaml", "yml", "json"]))
    static let output = OptionSpec(
        long: "output", short: "o", valueName: "FILE",
        help: "Write the result to FILE (atomically) instead of standard output", completion: .anyFile)
    static let injectConfig = OptionSpec(
        long: "inject-config", aliases: ["injectConfigFile"], valueName: "FILE",
        help: "Injector config (the istio-sidecar-injector ConfigMap's config key: templates, policy)",
        completion: .file(extensions: ["yaml", "yml"]))
    static let values = OptionSpec(
        long: "values", aliases: ["valuesFile"], valueName: "FILE",
        help: "Injector values (the istio-sidecar-injector ConfigMap's values key)",
        completion: .file(extensions: ["yaml", "yml", "json"]))
    static let meshConfig = OptionSpec(
        long: "mesh-config", aliases: ["meshConfigFile"], valueName: "FILE",
        help: "Mesh config (the istio ConfigMap's mesh key)", completion: .file(extensions: ["yaml", "yml"]))
    static let operatorFile = OptionSpec(
        long: "operator-file", aliases: ["operatorFileName"], valueName: "FILE",
        help: "IstioOperator file whose values, meshConfig and templates apply", completion: .file(extensions: ["yaml", "yml"]))
    static let fromCluster = OptionSpec(
        long: "from-cluster", kind: .flag,
        help: "Read the injection config from the cluster's istio-sidecar-injector and istio ConfigMaps in the mesh namespace")
    static let injectConfigMapName = OptionSpec(
        long: "inject-configmap", aliases: ["injectConfigMapName"], valueName: "NAME",
        help: "With --from-cluster: the injector ConfigMap (default istio-sidecar-injector, or istio-sidecar-injector-REV)")
    static let meshConfigMapName = OptionSpec(
        long: "mesh-configmap", aliases: ["meshConfigMapName"], valueName: "NAME",
        help: "With --from-cluster: the mesh config ConfigMap (default istio, or istio-REV)")
    static let revision = OptionSpec(
        long: "revision", short: "r", valueName: "REVISION", help: "Control plane revision to inject for")
    static let nativeSidecars = OptionSpec(
        long: "native-sidecars", valueName: "BOOL",
        help: "Inject the proxy as a native sidecar (an init container with restartPolicy Always)",
        defaultValue: "true", allowedValues: ["true", "false"])

    static let spec: CommandSpec = CommandSpec(
        name: "inject",
        aliases: ["kube-inject"],
        abstract: "Add Istio sidecars to Kubernetes manifests",
        discussion: """
            Inject the Istio sidecar into the pods of Kubernetes manifests, as Istio's injector would, without
            contacting a cluster. Pods and the pod templates of Deployments, DaemonSets, ReplicaSets,
            StatefulSets, Jobs, CronJobs, ReplicationControllers, DeploymentConfigs and List items are injected;
            every other document passes through unchanged.

            The injection config comes from --inject-config/--values/--mesh-config (and --operator-file) when
            given; with --from-cluster, the rest comes from the ConfigMaps of the Istio install in the mesh
            namespace (istio-sidecar-injector[-REV] and istio[-REV]); anything still missing comes from meshctl's
            built-in default for Istio \(BuiltinInjection.istioVersion), which never touches the network. Pods that
            opt out (sidecar.istio.io/inject: "false") or use host networking are left alone with a warning on
            standard error. Invalid injection annotations and malformed YAML fail with exit code 65, and
            nothing is written to --output then. Re-injecting an injected manifest gives the same result.
            """,
        examples: [
            .init("Inject a Deployment and apply it", "meshctl inject -f deploy.yaml | kubectl apply -f -"),
            .init("Inject every manifest under a directory into one file", "meshctl inject -f k8s/ -o injected.yaml"),
            .init("Use the injection config of the cluster's Istio install", "meshctl inject -f app.yaml --from-cluster"),
            .init(
                "Use the config of an Istio install, exported from its ConfigMaps",
                "meshctl inject -f app.yaml --inject-config config.yaml --values values.json --mesh-config mesh.yaml"),
        ],
        options: [
            filename, output, injectConfig, values, meshConfig, operatorFile, fromCluster, injectConfigMapName,
            meshConfigMapName, revision, nativeSidecars,
        ],
        group: "Manifests",
        run: { invocation, context in
            guard let path = invocation.options.string(filename) else {
                throw UsageError("required flag --filename (-f) not set", at: invocation.path)
            }
            let cluster = try clusterConfig(invocation, context: context)
            let settings = try InjectionOptions.settings(
                invocation.options, injectConfig: injectConfig, values: values, meshConfig: meshConfig,
                operatorFile: operatorFile, revision: revision, nativeSidecars: nativeSidecars, cluster: cluster,
                environment: context.environment)
            let documents = try ManifestFiles.readDocuments(path)
            let result = try Injector(settings: settings).inject(documents)
            for warning in result.warnings { context.printError("Warning: \(warning)") }
            return try ManifestOutput.write(result.documents, to: invocation.options.string(output), context: context)
        }
    )

    /// The cluster's injection config when `--from-cluster` is given; the ConfigMap flags need it.
    static func clusterConfig(_ invocation: Invocation, context: CommandContext) throws -> ClusterInjectionConfig? {
        let options = invocation.options
        guard options.bool(fromCluster) else {
            for option in [injectConfigMapName, meshConfigMapName] where options.isSet(option) {
                throw UsageError("--\(option.long) needs --from-cluster", at: invocation.path)
            }
            return nil
        }
        let names = ClusterInjectionConfig.names(
            revision: options.string(revision) ?? "", injector: options.string(injectConfigMapName),
            mesh: options.string(meshConfigMapName))
        let globals = GlobalOptions(options)
        return try ClusterInjectionConfig.read(
            client: ClusterAccess(globals, environment: context.environment).client(context),
            namespace: globals.meshNamespace, injectorName: names.injector, meshName: names.mesh)
    }
}

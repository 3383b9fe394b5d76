import MeshCore
import MeshKube

/// How a command reaches a cluster: the kubeconfig loader and overrides made from the global flags.
///
/// Nothing is read until a command asks, so commands that never talk to a cluster never touch the kubeconfig.
struct ClusterAccess {
    let loader: KubeconfigLoader
    let overrides: KubeconfigOverrides

    init(_ globals: GlobalOptions, environment: [String: String]) {
        loader = KubeconfigLoader(explicitPath: globals.kubeconfig, environment: environment)
        overrides = KubeconfigOverrides(
            context: globals.context, cluster: globals.cluster, user: globals.user, namespace: globals.namespace,
            impersonate: globals.impersonate, impersonateGroups: globals.impersonateGroups,
            impersonateUID: globals.impersonateUID,
            requestTimeout: globals.requestTimeout == .zero ? nil : globals.requestTimeout.duration)
    }

    init(_ invocation: Invocation, context: CommandContext) {
        self.init(GlobalOptions(invocation.options), environment: context.environment)
    }

    /// The merged kubeconfig files.
    func kubeconfig() throws(KubeError) -> Kubeconfig {
        try loader.load()
    }

    /// A client for the selected context; the configuration's warnings (such as skipped TLS verification) go to
    /// standard error.
    func client(_ context: CommandContext) throws(KubeError) -> KubeClient {
        let config = try loader.clientConfig(overrides)
        for warning in config.warnings {
            context.printError("Warning: \(warning)")
        }
        return try KubeClient(config: config, environment: loader.environment)
    }
}

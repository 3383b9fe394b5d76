import Foundation
import MeshCore
import MeshKube
import MeshPKI

/// How the `pki` commands reach a cluster: a Kubernetes client from `--kubeconfig`, `--context` and
/// `--request-timeout`, and the namespace PKI secrets live in.
enum PKICluster {
    /// A client for the selected kubeconfig context; configuration warnings go to standard error.
    static func client(_ invocation: Invocation, _ context: CommandContext) throws -> KubeClient {
        let global = GlobalOptions(invocation.options)
        let loader = KubeconfigLoader(explicitPath: global.kubeconfig, environment: context.environment)
        let overrides = KubeconfigOverrides(
            context: global.context, namespace: global.namespace,
            requestTimeout: global.requestTimeout == .zero ? nil : global.requestTimeout.duration)
        let config = try loader.clientConfig(overrides)
        for warning in config.warnings {
            context.printError("Warning: \(warning)")
        }
        return try KubeClient(config: config, environment: context.environment)
    }

    /// The namespace of a secret named on the command line: `-n` when given, else the mesh namespace (`-i`),
    /// where Istio keeps `cacerts`.
    static func secretNamespace(_ invocation: Invocation) -> String {
        let global = GlobalOptions(invocation.options)
        return global.namespace ?? global.meshNamespace
    }
}

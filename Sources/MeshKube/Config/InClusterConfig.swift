import Foundation

/// The configuration of a process running in a pod: the API server from `KUBERNETES_SERVICE_HOST/PORT`, the
/// service-account token (re-read as it rotates), CA and namespace from the mounted secret.
public struct InClusterConfig: Sendable, Equatable {
    /// Where Kubernetes mounts the service account.
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// `https://host:port`.
    public var server: String
    /// The token file (`token`).
    public var tokenFile: String
    /// The CA bundle (`ca.crt`), when mounted.
    public var caData: Data?
    /// The pod's namespace (`namespace`), when mounted.
    public var namespace: String?

    /// Reads the in-cluster configuration; `nil` when not running in a pod (variables or token missing).
    public init?(environment: [String: String], directory: String = Self.defaultDirectory) throws(KubeError) {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { return nil }
        let tokenFile = (directory as NSString).appendingPathComponent("token")
        guard FileManager.default.fileExists(atPath: tokenFile) else { return nil }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        server = "https://\(bracketed):\(port)"
        self.tokenFile = tokenFile
        let ca = (directory as NSString).appendingPathComponent("ca.crt")
        caData = FileManager.default.fileExists(atPath: ca) ? try Kubeconfig.readFile(ca, what: "the service-account CA") : nil
        let namespaceFile = (directory as NSString).appendingPathComponent("namespace")
        namespace = (try? String(contentsOfFile: namespaceFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The client configuration, with `-n`, impersonation and timeout overrides applied.
    public func clientConfig(_ overrides: KubeconfigOverrides) -> ClientConfig {
        ClientConfig(
            server: server, tls: TLSSettings(caData: caData), namespace: overrides.namespace ?? namespace ?? "default",
            namespaceIsExplicit: overrides.namespace != nil || namespace != nil, credentials: .tokenFile(tokenFile),
            impersonation: .init(user: overrides.impersonate, uid: overrides.impersonateUID, groups: overrides.impersonateGroups),
            requestTimeout: overrides.requestTimeout)
    }
}

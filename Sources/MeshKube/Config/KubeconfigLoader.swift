import Foundation
import MeshCore

/// Finds and loads kubeconfig files with kubectl's precedence: `--kubeconfig` › `KUBECONFIG` › `~/.kube/config`,
/// and falls back to the in-cluster service account when none exists and the process runs in a pod.
public struct KubeconfigLoader: Sendable {
    /// `--kubeconfig`: when set, only this file is read, and it must exist.
    public var explicitPath: String?
    /// The process environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST/PORT`, `PATH` for exec plugins).
    public var environment: [String: String]
    /// Where the service-account token, CA and namespace are mounted in a pod.
    public var serviceAccountDirectory: String

    /// Makes a loader; by default it reads the real environment.
    public init(
        explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = InClusterConfig.defaultDirectory
    ) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    /// The files to read, in precedence order (only existing ones from `KUBECONFIG` and the home default).
    ///
    /// `KUBECONFIG` is a `:`-separated list; empty entries and repeats are skipped, missing files ignored.
    public func files() throws(KubeError) -> [String] {
        let manager = FileManager.default
        if let explicit = explicitPath, !explicit.isEmpty {
            let path = absolute(explicit)
            guard manager.fileExists(atPath: path) else {
                throw KubeError(.io, "the kubeconfig file \(path) (from --kubeconfig) does not exist", file: path)
            }
            return [path]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            var files: [String] = []
            for entry in list.split(separator: ":", omittingEmptySubsequences: true) {
                let path = absolute(String(entry))
                guard seen.insert(path).inserted, manager.fileExists(atPath: path) else { continue }
                files.append(path)
            }
            return files
        }
        if let home = environment["HOME"], !home.isEmpty {
            let path = (home as NSString).appendingPathComponent(".kube/config")
            if manager.fileExists(atPath: path) { return [path] }
        }
        return []
    }

    /// Reads and merges the kubeconfig files (first file wins per name; `current-context` from the first file
    /// that sets it). With no files the result is empty.
    public func load() throws(KubeError) -> Kubeconfig {
        var configs: [Kubeconfig] = []
        for file in try files() {
            configs.append(try Self.read(file))
        }
        return Kubeconfig.merging(configs)
    }

    /// The client configuration for `overrides`: from the kubeconfig files, or, when there are none and the
    /// process runs in a pod, from the pod's service account.
    public func clientConfig(_ overrides: KubeconfigOverrides = KubeconfigOverrides()) throws(KubeError) -> ClientConfig {
        let config = try load()
        if config.files.isEmpty, overrides.context == nil,
            let inCluster = try InClusterConfig(environment: environment, directory: serviceAccountDirectory)
        {
            return inCluster.clientConfig(overrides)
        }
        return try config.resolve(overrides)
    }

    /// Reads one kubeconfig file; a file that is not a valid kubeconfig is `.invalidKubeconfig` (exit 65).
    public static func read(_ file: String) throws(KubeError) -> Kubeconfig {
        let data = try Kubeconfig.readFile(file, what: "the kubeconfig")
        return try parse(data, file: file)
    }

    /// Parses kubeconfig text that came from `file` (used to name it in errors and to resolve relative paths).
    public static func parse(_ data: Data, file: String) throws(KubeError) -> Kubeconfig {
        let value: Value
        do {
            value = try YAML.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw KubeError.kubeconfig(file, error.description, cause: error)
        }
        return try Kubeconfig(value: value, file: file)
    }

    private func absolute(_ path: String) -> String {
        let expanded = path == "~" || path.hasPrefix("~/")
            ? (environment["HOME"].map { ($0 as NSString).appendingPathComponent(String(path.dropFirst(2))) } ?? path)
            : path
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        let cwd = FileManager.default.currentDirectoryPath
        return ((cwd as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}

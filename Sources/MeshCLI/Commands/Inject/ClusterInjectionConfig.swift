import MeshCore
import MeshKube

/// The injection config of an Istio install, read from its ConfigMaps: `istio-sidecar-injector[-REV]` (keys
/// `config` and `values`) and `istio[-REV]` (key `mesh`) in the mesh namespace.
struct ClusterInjectionConfig {
    var config: Value
    var values: Value
    var mesh: Value

    /// The ConfigMap names for a revision, unless named explicitly (`--injectConfigMapName`, `--meshConfigMapName`).
    static func names(revision: String, injector: String?, mesh: String?) -> (injector: String, mesh: String) {
        let suffix = revision.isEmpty || revision == "default" ? "" : "-\(revision)"
        return (injector ?? "istio-sidecar-injector\(suffix)", mesh ?? "istio\(suffix)")
    }

    /// Reads both ConfigMaps; a missing ConfigMap is a runtime failure, a missing or malformed key bad data.
    static func read(
        client: KubeClient, namespace: String, injectorName: String, meshName: String
    ) throws -> ClusterInjectionConfig {
        let injector = try configMap(client, injectorName, namespace: namespace)
        let mesh = try configMap(client, meshName, namespace: namespace)
        return ClusterInjectionConfig(
            config: try key("config", of: injector, name: injectorName, namespace: namespace),
            values: try key("values", of: injector, name: injectorName, namespace: namespace),
            mesh: try key("mesh", of: mesh, name: meshName, namespace: namespace))
    }

    private static func configMap(_ client: KubeClient, _ name: String, namespace: String) throws -> [String: String] {
        let object: Value
        do {
            object = try client.get(.configMaps, name: name, namespace: namespace)
        } catch {
            guard error.isNotFound else { throw error }
            throw KubeError(
                .api, "configmaps \"\(name)\" not found in namespace \"\(namespace)\": is Istio installed there? "
                    + "(use -i for another mesh namespace, -r for a revision, or drop --from-cluster for the built-in default)",
                httpStatus: 404)
        }
        return KubeObject(object).configData
    }

    private static func key(_ key: String, of data: [String: String], name: String, namespace: String) throws -> Value {
        guard let text = data[key] else {
            throw MeshCoreError(.invalidValue, "configmap \(namespace)/\(name) has no key \"\(key)\"")
        }
        let parsed: Value
        do {
            parsed = try YAML.parse(text)
        } catch {
            throw MeshCoreError(
                error.code, "configmap \(namespace)/\(name), key \"\(key)\": \(error.message)", line: error.line,
                column: error.column)
        }
        return parsed
    }
}

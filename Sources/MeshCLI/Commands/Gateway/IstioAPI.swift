import MeshCore
import MeshKube
import MeshPolicy

/// The REST resources of the Istio kinds meshctl reads and writes, in their storage version.
enum IstioAPI {
    static func resource(_ kind: ResourceKind) -> APIResource {
        APIResource(group: kind.group, version: kind.preferredVersion, name: kind.plural, kind: kind.rawValue, namespaced: true)
    }

    /// The objects of `kind` in `namespace` (every namespace when `nil`), with `apiVersion` and `kind` filled in
    /// (list items may omit them).
    static func list(_ client: KubeClient, _ kind: ResourceKind, namespace: String?, labelSelector: String? = nil) throws(KubeError) -> [Value] {
        let resource = resource(kind)
        let options = ListOptions(labelSelector: labelSelector, allNamespaces: namespace == nil)
        return try client.list(resource, namespace: namespace, options: options).items.map { item in
            var value = item
            if value["apiVersion"] == nil { value["apiVersion"] = .string(resource.groupVersion) }
            if value["kind"] == nil { value["kind"] = .string(resource.kind) }
            return value
        }
    }

    /// `gateway.networking.istio.io/NAME`, as kubectl names objects it writes.
    static func displayName(_ kind: ResourceKind, _ name: String) -> String {
        "\(kind.rawValue.lowercased()).\(kind.group)/\(name)"
    }
}

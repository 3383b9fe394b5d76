import MeshCore
import MeshPolicy

/// One Istio resource of the proxy's config, decoded once into MeshPolicy's typed model; the parsers turn its
/// spec into runtime config.
struct IstioResource<Spec: Codable & Sendable & Equatable> {
    let name: String
    let namespace: String
    let spec: Spec
    /// The `spec` field, for errors naming the resource (`VirtualService default/reviews: spec.http[0]…`).
    let field: FieldPath

    /// Decodes `document` (labelled `label` in errors); a field of the wrong type is an error naming its path.
    init(_ kind: ResourceKind, _ document: Value, label: String) throws(ProxyError) {
        let resource: Resource<Spec>
        do {
            resource = try Resource(kind: kind, from: document)
        } catch {
            throw ProxyError.invalid(label, error.path ?? "spec", error.cause?.message ?? error.message)
        }
        name = resource.name
        namespace = resource.namespace ?? "default"
        spec = resource.spec
        field = FieldPath(resource: label, path: "spec")
    }
}

import MeshCore

/// One Istio object with a typed `spec`, read from a document and written back without losing fields the typed
/// model does not declare.
public struct Resource<Spec: Codable & Sendable & Equatable>: Sendable, Equatable {
    /// The kind, from `kind` and `apiVersion`.
    public var kind: ResourceKind
    /// The API version as written (`security.istio.io/v1beta1`).
    public var apiVersion: String
    /// Name, namespace, labels and annotations.
    public var metadata: ObjectMeta
    /// The typed specification.
    public var spec: Spec
    /// The document as read (or an empty mapping for objects built in code); fields not modelled live here.
    public var raw: Value

    /// An object built in code, in the preferred API version.
    public init(kind: ResourceKind, metadata: ObjectMeta, spec: Spec) {
        self.kind = kind
        self.apiVersion = kind.preferredAPIVersion
        self.metadata = metadata
        self.spec = spec
        self.raw = [:]
    }

    /// Reads an object of `kind` from a document; a field of the wrong type is an error naming its path.
    public init(kind: ResourceKind, from value: Value) throws(PolicyError) {
        self.kind = kind
        self.apiVersion = value["apiVersion"]?.stringValue ?? kind.preferredAPIVersion
        self.raw = value
        let decoder = ValueDecoder()
        do {
            metadata = try decoder.decode(ObjectMeta.self, from: value["metadata"] ?? [:])
        } catch {
            throw PolicyError("invalid metadata: \(error.message)", path: error.path.map { "metadata.\($0)" } ?? "metadata", cause: error)
        }
        do {
            spec = try decoder.decode(Spec.self, from: value["spec"] ?? [:])
        } catch {
            throw PolicyError("invalid \(kind.rawValue) spec: \(error.message)", path: error.path.map { "spec.\($0)" } ?? "spec", cause: error)
        }
    }

    /// The object's name (empty when unset).
    public var name: String { metadata.name ?? "" }

    /// The object's namespace, when set.
    public var namespace: String? { metadata.namespace }

    /// The typed parts only, as a document.
    public var typedValue: Value {
        var object: Value.Object = ["apiVersion": .string(apiVersion), "kind": .string(kind.rawValue)]
        object["metadata"] = (try? ValueEncoder().encode(metadata)) ?? [:]
        object["spec"] = (try? ValueEncoder().encode(spec)) ?? [:]
        return .object(object)
    }

    /// The whole document: the typed parts laid over the original, so unknown fields survive.
    public var value: Value {
        ValueOverlay.overlay(typedValue, on: raw)
    }

    /// Paths of `spec` fields present in the original document that the typed model does not know.
    public var unknownFields: [String] {
        guard let original = raw["spec"], let known = typedValue["spec"] else { return [] }
        return ValueOverlay.unknownFields(original: original, decoded: known, path: "spec")
    }
}

import MeshCore

/// A Kubernetes object as the API returned it, with typed reads of the fields meshctl looks at.
///
/// The object stays a `Value`, so nothing is lost when it is written back or printed; no model of the whole
/// Kubernetes API is needed.
public struct KubeObject: Sendable, Equatable {
    /// The object as received.
    public var value: Value

    /// Wraps an object.
    public init(_ value: Value) {
        self.value = value
    }

    /// `apiVersion`.
    public var apiVersion: String? { value["apiVersion"]?.stringValue }
    /// `kind`.
    public var kind: String? { value["kind"]?.stringValue }
    /// `metadata.name`.
    public var name: String { value["metadata"]?["name"]?.stringValue ?? "" }
    /// `metadata.namespace`.
    public var namespace: String? { value["metadata"]?["namespace"]?.stringValue }
    /// `metadata.uid`.
    public var uid: String? { value["metadata"]?["uid"]?.stringValue }
    /// `metadata.resourceVersion`.
    public var resourceVersion: String? { value["metadata"]?["resourceVersion"]?.stringValue }
    /// `metadata.creationTimestamp` (RFC 3339 text).
    public var creationTimestamp: String? { value["metadata"]?["creationTimestamp"]?.stringValue }
    /// `metadata.labels`.
    public var labels: [String: String] { Self.strings(value["metadata"]?["labels"]) }
    /// `metadata.annotations`.
    public var annotations: [String: String] { Self.strings(value["metadata"]?["annotations"]) }
    /// The kinds and names of `metadata.ownerReferences`.
    public var owners: [(kind: String, name: String)] {
        (value["metadata"]?["ownerReferences"]?.arrayValue ?? []).compactMap { owner in
            guard let kind = owner["kind"]?.stringValue, let name = owner["name"]?.stringValue else { return nil }
            return (kind, name)
        }
    }

    /// A string-to-string mapping (labels, annotations, `data`), skipping values that are not strings.
    static func strings(_ value: Value?) -> [String: String] {
        var result: [String: String] = [:]
        for (key, item) in value?.objectValue ?? Value.Object() {
            if let text = item.stringValue { result[key] = text }
        }
        return result
    }
}

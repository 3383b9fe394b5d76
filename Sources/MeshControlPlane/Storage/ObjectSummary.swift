import MeshCore

/// What the store, selectors and the garbage collector read from an object often enough that decoding its JSON
/// each time would cost more than keeping these few fields: identity, `apiVersion`, labels, owners, and the
/// values of the field selectors clients use most.
public struct ObjectSummary: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var apiVersion: String?
    public var uid: String?
    public var labels: [String: String]
    /// The uids in `metadata.ownerReferences`.
    public var ownerUIDs: [String]
    /// `spec.nodeName` and `status.phase` as `FieldSelector` reads them (a missing field is "").
    var nodeName: String
    var phase: String

    init(_ value: Value) {
        let metadata = value["metadata"]
        namespace = metadata?["namespace"]?.stringValue ?? ""
        name = metadata?["name"]?.stringValue ?? ""
        apiVersion = value["apiVersion"]?.stringValue
        uid = metadata?["uid"]?.stringValue
        labels = LabelSelector.labels(of: value)
        ownerUIDs = OwnerIndex.ownerUIDs(of: value)
        nodeName = FieldSelector.text(at: ["spec", "nodeName"], in: value)
        phase = FieldSelector.text(at: ["status", "phase"], in: value)
    }

    /// The field selector value at `path`, or `nil` when the summary does not keep that path (the caller decodes).
    func field(_ path: [String]) -> String? {
        switch path {
        case ["metadata", "name"]: name
        case ["metadata", "namespace"]: namespace
        case ["spec", "nodeName"]: nodeName
        case ["status", "phase"]: phase
        default: nil
        }
    }
}

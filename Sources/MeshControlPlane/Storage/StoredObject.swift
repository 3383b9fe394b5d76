import MeshCore

/// An object as the store holds it: its resourceVersion, its JSON encoding (lists and watches send the bytes as
/// they are) and a small summary of what lists, watches and the garbage collector look at without decoding.
///
/// The JSON is the only full copy kept in memory: a parsed `Value` tree costs several times its encoding, and
/// with thousands of objects (and the history of their previous states) that is most of the server's memory.
/// `value` decodes on demand; setting it re-encodes.
public struct StoredObject: Sendable {
    public var resourceVersion: Int
    public private(set) var json: [UInt8]
    /// Boxed: lists copy thousands of these, and one reference is cheaper to copy than the summary's fields.
    private var box: SummaryBox

    public var summary: ObjectSummary { box.summary }

    /// An object whose encoding is `json` (which must be `value` emitted as JSON).
    public init(resourceVersion: Int, value: Value, json: [UInt8]) {
        self.resourceVersion = resourceVersion
        self.json = json
        box = SummaryBox(ObjectSummary(value))
    }

    /// An object encoded from `value`.
    public init(resourceVersion: Int, value: Value) {
        self.init(resourceVersion: resourceVersion, value: value, json: Array(JSON.emit(value).utf8))
    }

    /// The object, decoded from its JSON (each read decodes again: keep the result when reading several fields).
    public var value: Value {
        get { (try? JSON.parse(bytes: json)) ?? .null }
        set {
            json = Array(JSON.emit(newValue).utf8)
            box = SummaryBox(ObjectSummary(newValue))
        }
    }

    public var namespace: String { summary.namespace }
    public var name: String { summary.name }

    /// The same content stamped with another resourceVersion (a deletion's, or a watch's DELETED event).
    func stamped(_ version: Int) -> StoredObject {
        var copy = self
        copy.resourceVersion = version
        copy.value["metadata"]?["resourceVersion"] = .string(String(version))
        return copy
    }
}

private final class SummaryBox: Sendable {
    let summary: ObjectSummary
    init(_ summary: ObjectSummary) { self.summary = summary }
}

/// A change the store committed, as watchers see it.
public struct StoreEvent: Sendable {
    public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var kind: Kind
    /// The storage key of the resource (`apps/deployments`).
    public var resource: String
    /// The object after the change (for deletions: the last state, with the deletion's resourceVersion).
    public var object: StoredObject
    /// The object before the change (`nil` for additions): selector watches compare both states, and a list
    /// continued at an older version undoes changes with it.
    public var previous: StoredObject?

    public init(kind: Kind, resource: String, object: StoredObject, previous: StoredObject? = nil) {
        self.kind = kind
        self.resource = resource
        self.object = object
        self.previous = previous
    }
}

/// What a write decides after seeing the current object.
public enum StoreWrite: Sendable {
    /// Store this value (created or replaced).
    case put(Value)
    /// Remove the object.
    case delete
    /// Remove the object, whose last state (the one watchers see) is this value: the update that removed the
    /// last finalizer of an object being deleted.
    case deleteAfter(Value)
    /// Change nothing.
    case unchanged
}

import MeshCore

/// An object as the store holds it: its resourceVersion, its value and its JSON encoding (lists and watches send
/// the bytes as they are, without re-encoding).
public struct StoredObject: Sendable {
    public var resourceVersion: Int
    public var value: Value
    public var json: [UInt8]

    public var namespace: String { value["metadata"]?["namespace"]?.stringValue ?? "" }
    public var name: String { value["metadata"]?["name"]?.stringValue ?? "" }

    /// The same content stamped with another resourceVersion (a deletion's, or a watch's DELETED event).
    func stamped(_ version: Int) -> StoredObject {
        var copy = self
        copy.resourceVersion = version
        copy.value["metadata"]?["resourceVersion"] = .string(String(version))
        copy.json = Array(JSON.emit(copy.value).utf8)
        return copy
    }
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

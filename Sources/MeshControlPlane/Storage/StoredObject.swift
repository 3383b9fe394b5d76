import MeshCore

/// An object as the store holds it: its resourceVersion, its value and its JSON encoding (lists and watches send
/// the bytes as they are, without re-encoding).
public struct StoredObject: Sendable {
    public var resourceVersion: Int
    public var value: Value
    public var json: [UInt8]

    public var namespace: String { value["metadata"]?["namespace"]?.stringValue ?? "" }
    public var name: String { value["metadata"]?["name"]?.stringValue ?? "" }
}

/// A change the store committed, as watchers see it.
public struct StoreEvent: Sendable {
    public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public var kind: Kind
    /// The storage key of the resource (`apps/deployments`).
    public var resource: String
    /// The object after the change (for deletions: the last state, with the deletion's resourceVersion).
    public var object: StoredObject
}

/// What a write decides after seeing the current object.
public enum StoreWrite: Sendable {
    /// Store this value (created or replaced).
    case put(Value)
    /// Remove the object.
    case delete
    /// Change nothing.
    case unchanged
}

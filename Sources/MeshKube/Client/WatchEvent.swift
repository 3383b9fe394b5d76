import MeshCore

/// One change seen by a watch.
public struct WatchEvent: Sendable, Equatable {
    /// What happened.
    public enum EventType: String, Sendable {
        /// The object appeared.
        case added = "ADDED"
        /// The object changed.
        case modified = "MODIFIED"
        /// The object went away.
        case deleted = "DELETED"
        /// Only a new resource version to resume from; the object carries nothing else.
        case bookmark = "BOOKMARK"
        /// The watch had fallen too far behind (410 Gone) and listed again: the object is the whole fresh
        /// list (`items`, `metadata.resourceVersion`), which replaces everything seen before.
        case relisted = "RELISTED"
    }

    /// What happened.
    public var type: EventType
    /// The object after the change (before it, for `deleted`).
    public var object: Value

    /// Makes an event.
    public init(type: EventType, object: Value) {
        self.type = type
        self.object = object
    }

    /// `metadata.resourceVersion` of the object.
    public var resourceVersion: String? { object["metadata"]?["resourceVersion"]?.stringValue }
}

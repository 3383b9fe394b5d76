import MeshCore

/// A complete list: every page's items, and the list's resource version (to start a watch from).
public struct ObjectList: Sendable {
    /// The objects, in server order.
    public var items: [Value]
    /// `metadata.resourceVersion` of the list.
    public var resourceVersion: String?
    /// Pages fetched.
    public var pages: Int
}

import MeshCore

/// The API server's `/version`.
public struct ServerVersion: Sendable, Equatable {
    /// `v1.31.0`.
    public var gitVersion: String
    /// `linux/amd64`.
    public var platform: String
    /// `1`.
    public var major: String
    /// `31`.
    public var minor: String
    /// The whole document, for `-o json|yaml`.
    public var raw: Value

    /// Reads a `/version` document.
    public init(_ value: Value) {
        gitVersion = value["gitVersion"]?.stringValue ?? ""
        platform = value["platform"]?.stringValue ?? ""
        major = value["major"]?.stringValue ?? ""
        minor = value["minor"]?.stringValue ?? ""
        raw = value
    }
}

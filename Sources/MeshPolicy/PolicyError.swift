import MeshCore

/// The error type of MeshPolicy: a document that is not a resource meshctl can read.
///
/// Expected negative outcomes (an invalid resource, a denied request) are values, not errors; this is only for
/// input that cannot be read at all, and it maps to exit code 65 (bad input data).
public struct PolicyError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What went wrong, in words a user can act on.
    public var message: String
    /// Where in the document the problem is (`spec.rules[0].from`), when known.
    public var path: String?
    /// The error that caused this one, such as a decoding error from MeshCore.
    public var cause: MeshCoreError?

    public init(_ message: String, path: String? = nil, cause: MeshCoreError? = nil) {
        self.message = message
        self.path = path
        self.cause = cause
    }

    public var description: String {
        guard let path else { return message }
        return "\(message) (at \(path))"
    }

    public var exitCode: ExitCode { .dataError }
}

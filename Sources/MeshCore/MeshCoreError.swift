/// The error type of MeshCore: malformed YAML or JSON, a value of the wrong shape, a file that can't be read.
public struct MeshCoreError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// The text is not well-formed YAML.
        case malformedYAML
        /// The text is not well-formed JSON.
        case malformedJSON
        /// A value does not have the shape a decoder expected (wrong type, missing key).
        case invalidValue
        /// A file could not be read or written.
        case io
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The 1-based line in the input, when the failure has a position.
    public var line: Int?
    /// The 1-based column in the input, when the failure has a position.
    public var column: Int?
    /// Where the failing value sits in the document (`spec.containers[0].name`), when known.
    public var path: String?

    public init(_ code: Code, _ message: String, line: Int? = nil, column: Int? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.path = path
    }

    public var description: String {
        var text = message
        if let line {
            text += column.map { " at line \(line), column \($0)" } ?? " at line \(line)"
        }
        if let path {
            text += " (at \(path))"
        }
        return text
    }

    public var exitCode: ExitCode {
        code == .io ? .failure : .dataError
    }
}

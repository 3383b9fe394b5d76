import MeshCore

/// The error type of MeshProxy: an invalid configuration, a file that can't be read, a port that can't be bound.
public struct ProxyError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// The configuration is invalid (exit 65): the message names the resource and the field.
        case invalidConfig
        /// A file (config, certificate, key) could not be read (exit 1).
        case io
        /// A listener could not be started or TLS could not be set up (exit 1).
        case startup
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An invalid field of a resource: `VirtualService reviews: spec.http[0].route: …`.
    static func invalid(_ resource: String, _ field: String, _ problem: String) -> ProxyError {
        ProxyError(.invalidConfig, "\(resource): \(field): \(problem)")
    }

    public var description: String { message }

    public var exitCode: ExitCode {
        code == .invalidConfig ? .dataError : .failure
    }
}

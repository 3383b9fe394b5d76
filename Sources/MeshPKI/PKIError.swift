import MeshCore

/// The error type of MeshPKI: bad certificate or key material, a missing or unreadable file, a file that would be
/// overwritten, a parameter out of range.
///
/// The message names the file and the problem so the user can fix it; `underlying` keeps the library error that
/// caused it, for `-v` output. A chain that does not verify is not an error but a value (`ChainVerification`).
public struct PKIError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What kind of failure this is; it decides the exit code.
    public enum Code: Sendable, Equatable {
        /// PEM, DER, a key or a bundle that is malformed, mismatched, expired or otherwise unusable (exit 65).
        case badMaterial
        /// A file the material needs is not there (exit 65: the input is incomplete).
        case missingFile
        /// A file exists and `--force` was not given (exit 1).
        case fileExists
        /// The file system failed: permissions, disk, a directory that can't be created (exit 1).
        case io
        /// A parameter is out of range: key size, validity, SPIFFE ID (exit 64).
        case invalidParameter
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, naming the file when there is one.
    public var message: String
    /// The file the problem is in, when there is one.
    public var file: String?
    /// The lower-level error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, file: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.underlying = underlying
    }

    /// `FILE: message`, or the message alone.
    public var description: String {
        guard let file, !message.hasPrefix(file) else { return message }
        return "\(file): \(message)"
    }

    public var exitCode: ExitCode {
        switch code {
        case .badMaterial, .missingFile: .dataError
        case .fileExists, .io: .failure
        case .invalidParameter: .usage
        }
    }

    static func bad(_ message: String, file: String? = nil, underlying: (any Error & Sendable)? = nil) -> PKIError {
        PKIError(.badMaterial, message, file: file, underlying: underlying)
    }
}

import MeshCore

/// The error type of MeshKube: a bad kubeconfig, a failed connection, a refused credential, an API error.
///
/// `message` is what the user reads after `Error: `; it says what went wrong and, where it can, what to do.
/// A malformed kubeconfig ends the process with exit code 65, everything else with 1.
public struct KubeError: Error, Sendable, CustomStringConvertible, ExitCodeProviding {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// A kubeconfig file is not valid YAML or does not have the shape kubectl expects.
        case invalidKubeconfig
        /// No kubeconfig was found and the process is not running in a pod.
        case noConfiguration
        /// The requested context, cluster or user is not in the kubeconfig.
        case contextNotFound
        /// A file named by the kubeconfig (certificate, key, token file) could not be read.
        case io
        /// The URL is not an http or https URL, or is malformed.
        case unsupportedURL
        /// The server (or proxy) could not be reached, or the connection dropped.
        case connectionFailed
        /// The TLS handshake failed or the server's certificate did not verify.
        case tls
        /// The request did not complete within the request timeout.
        case timeout
        /// Any other libcurl failure.
        case transport
        /// The server answered with a non-2xx status; `httpStatus` and `reason` say which.
        case api
        /// A credential could not be obtained (exec plugin, OIDC refresh, token file).
        case credentials
        /// The server's answer could not be understood.
        case invalidResponse
        /// The server has no resource type of that name (`meshctl get foo`).
        case unknownResource
        /// The operation was cancelled by the caller (a watch that was stopped).
        case cancelled
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The kubeconfig (or other) file the failure is about, when there is one.
    public var file: String?
    /// The HTTP status of an API error.
    public var httpStatus: Int?
    /// The Kubernetes `Status.reason` of an API error (`NotFound`, `Forbidden`, `Conflict`, …).
    public var reason: String?
    /// The libcurl result code of a transport failure.
    public var curlCode: Int?
    /// The error that caused this one, when there is one.
    public var cause: (any Error & Sendable)?

    /// Makes an error; the optional fields describe where it came from.
    public init(
        _ code: Code, _ message: String, file: String? = nil, httpStatus: Int? = nil, reason: String? = nil,
        curlCode: Int? = nil, cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.httpStatus = httpStatus
        self.reason = reason
        self.curlCode = curlCode
        self.cause = cause
    }

    public var description: String { message }

    /// 65 for a malformed kubeconfig, 1 for everything else.
    public var exitCode: ExitCode {
        code == .invalidKubeconfig ? .dataError : .failure
    }

    /// The API said the object does not exist (404).
    public var isNotFound: Bool { code == .api && httpStatus == 404 }
    /// The API refused a write because the object changed or already exists (409).
    public var isConflict: Bool { code == .api && httpStatus == 409 }
    /// The resource version asked for is too old (410 Gone), so a watch must relist.
    public var isGone: Bool { code == .api && httpStatus == 410 }
    /// The credentials were refused (401).
    public var isUnauthorized: Bool { code == .api && httpStatus == 401 }
    /// The identity may not do this (403).
    public var isForbidden: Bool { code == .api && httpStatus == 403 }

    /// A malformed kubeconfig: names the file and the problem.
    static func kubeconfig(_ file: String, _ problem: String, cause: (any Error & Sendable)? = nil) -> KubeError {
        KubeError(.invalidKubeconfig, "invalid kubeconfig \(file): \(problem)", file: file, cause: cause)
    }
}

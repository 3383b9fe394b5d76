import MeshCore

/// What the API server answers: a complete body, or a watch stream the network layer drives.
public enum APIResponse: Sendable {
    case body(status: Int, contentType: String, bytes: [UInt8])
    case watch(WatchStream)

    /// A JSON value with `status`.
    static func json(_ value: Value, status: Int = 200) -> APIResponse {
        .body(status: status, contentType: "application/json", bytes: Array(JSON.emit(value).utf8))
    }

    /// A JSON body already encoded.
    static func jsonBytes(_ bytes: [UInt8], status: Int = 200) -> APIResponse {
        .body(status: status, contentType: "application/json", bytes: bytes)
    }

    static func error(_ error: APIError) -> APIResponse {
        json(error.status, status: error.code)
    }

    static func text(_ text: String, status: Int = 200) -> APIResponse {
        .body(status: status, contentType: "text/plain; charset=utf-8", bytes: Array(text.utf8))
    }

    /// The HTTP status of a complete body (200 for streams).
    public var status: Int {
        if case .body(let status, _, _) = self { return status }
        return 200
    }

    /// The bytes of a complete body (empty for streams).
    public var bytes: [UInt8] {
        if case .body(_, _, let bytes) = self { return bytes }
        return []
    }
}

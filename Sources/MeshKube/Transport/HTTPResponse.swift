import Foundation

/// A complete HTTP response: status, headers of the final response, and the body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields in the order received, names as sent by the server.
    public var headers: [(name: String, value: String)]
    /// The response body.
    public var body: Data
    /// The HTTP version used (`1.1`, `2`), as libcurl reports it.
    public var httpVersion: String

    /// Makes a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

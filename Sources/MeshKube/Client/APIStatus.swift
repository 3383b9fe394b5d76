import Foundation
import MeshCore

/// A Kubernetes `Status` object, as the API server sends it with every error.
public struct APIStatus: Sendable, Equatable {
    /// `Success` or `Failure`.
    public var status: String?
    /// The human-readable explanation (`secrets "cacerts" not found`).
    public var message: String?
    /// The machine-readable reason (`NotFound`, `Forbidden`, `AlreadyExists`, `Conflict`, `Expired`, …).
    public var reason: String?
    /// The HTTP status it stands for.
    public var code: Int?

    /// Makes a status.
    public init(status: String? = nil, message: String? = nil, reason: String? = nil, code: Int? = nil) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }

    /// Reads a `Status` object; `nil` when the value is not one.
    public init?(_ value: Value) {
        guard value["kind"]?.stringValue == "Status" || (value["status"]?.stringValue != nil && value["code"] != nil)
        else { return nil }
        status = value["status"]?.stringValue
        message = value["message"]?.stringValue
        reason = value["reason"]?.stringValue
        code = value["code"]?.intValue
    }

    /// Turns a non-2xx response into a `KubeError` whose message reads like kubectl's.
    static func error(for response: HTTPResponse, request: HTTPRequest, userName: String? = nil) -> KubeError {
        let decoded = (try? JSON.parse(bytes: response.body)).flatMap(APIStatus.init)
        let code = response.status
        let reason = decoded?.reason.flatMap { $0.isEmpty ? nil : $0 } ?? defaultReason(code)
        var message: String
        if let text = decoded?.message, !text.isEmpty {
            message = text
        } else {
            message = fallbackMessage(code, request: request, body: response.body)
        }
        if code == 401 {
            let who = userName.map { "user \"\($0)\"" } ?? "the kubeconfig user"
            message += ": the server did not accept the credentials of \(who); check its token, certificate or exec plugin"
        }
        return KubeError(.api, message, httpStatus: code, reason: reason)
    }

    static func defaultReason(_ code: Int) -> String? {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 406: "NotAcceptable"
        case 409: "Conflict"
        case 410: "Gone"
        case 415: "UnsupportedMediaType"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        default: nil
        }
    }

    private static func fallbackMessage(_ code: Int, request: HTTPRequest, body: Data) -> String {
        let path = URLComponents(string: request.url)?.path ?? request.url
        let target = "\(request.method.uppercased()) \(path)"
        let base: String
        switch code {
        case 401: base = "Unauthorized"
        case 403: base = "the server does not allow access to the requested resource (\(target))"
        case 404: base = "the server could not find the requested resource (\(target))"
        case 405: base = "the server does not allow this method on the requested resource (\(target))"
        case 409: base = "the request conflicts with the current state of the resource (\(target))"
        case 410: base = "the requested resource version is gone (\(target))"
        case 429: base = "the server has received too many requests and asked to try again later (\(target))"
        case 500: base = "an error on the server has prevented the request from succeeding (\(target))"
        case 503: base = "the server is currently unable to handle the request (\(target))"
        case 504: base = "the server was unable to return a response in the time allotted (\(target))"
        default: base = "the server answered \(code) to \(target)"
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard code != 401, !text.isEmpty, !text.hasPrefix("{"), !text.hasPrefix("<") else { return base }
        return "\(base): \(text)"
    }
}

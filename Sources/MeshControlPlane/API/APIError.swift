import MeshCore

/// A request the API server refuses, answered as a Kubernetes `Status` object with its HTTP code and reason.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code (400, 401, 404, 409, …).
    public var code: Int
    /// The machine-readable reason (`NotFound`, `AlreadyExists`, `Conflict`, …).
    public var reason: String
    /// What went wrong, for people.
    public var message: String
    /// `details` of the Status: name, group, kind, causes.
    public var details: Value?
    /// `metadata.continue` of the Status: where a list whose snapshot expired can go on, inconsistently.
    public var continueToken: String?

    public init(code: Int, reason: String, message: String, details: Value? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { message }

    /// The `Status` object sent to clients.
    public var status: Value {
        var status: Value = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason),
        ]
        if let details { status["details"] = details }
        if let continueToken { status["metadata"] = ["continue": .string(continueToken)] }
        status["code"] = .int(code)
        return status
    }

    static func details(_ resource: ResourceType?, name: String) -> Value {
        var details: Value = ["name": .string(name)]
        if let resource {
            if !resource.group.isEmpty { details["group"] = .string(resource.group) }
            details["kind"] = .string(resource.name)
        }
        return details
    }

    static func notFound(_ resource: ResourceType, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                 details: details(resource, name: name))
    }

    static func alreadyExists(_ resource: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
                 details: details(resource, name: name))
    }

    static func conflict(_ resource: ResourceType, name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: details(resource, name: name))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    static func invalid(_ resource: ResourceType, name: String, causes: [(field: String, message: String)]) -> APIError {
        var details = details(resource, name: name)
        details["kind"] = .string(resource.kind)
        details["causes"] = .array(causes.map { ["reason": "FieldValueInvalid", "message": .string($0.message), "field": .string($0.field)] })
        let text = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        return APIError(code: 422, reason: "Invalid", message: "\(resource.kind) \"\(name)\" is invalid: \(text)", details: details)
    }

    static func notFoundPath(_ path: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource", details: [:])
    }

    static func methodNotAllowed(_ method: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource (\(method))")
    }

    static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
}

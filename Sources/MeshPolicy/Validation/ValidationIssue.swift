/// One problem found in a resource: an error (Istio would reject it) or a warning (it is accepted but probably
/// not what was meant), with the field it concerns.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The field (`spec.servers[0].port.number`), or empty for the whole object.
    public var path: String
    /// Istio's message where Istio has one.
    public var message: String

    public init(_ severity: Severity, _ path: String, _ message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(severity): \(message)" : "\(severity): \(path): \(message)"
    }
}

/// Collects issues while walking a spec.
struct IssueList {
    var issues: [ValidationIssue] = []

    mutating func error(_ path: String, _ message: String) {
        issues.append(ValidationIssue(.error, path, message))
    }

    mutating func warning(_ path: String, _ message: String) {
        issues.append(ValidationIssue(.warning, path, message))
    }

    /// Records `message` as an error when it is not nil (for the rule helpers that return one).
    mutating func check(_ path: String, _ message: String?) {
        if let message { error(path, message) }
    }
}

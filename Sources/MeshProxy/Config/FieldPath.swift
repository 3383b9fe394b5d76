import MeshCore

/// Where a field of a resource is, for errors that name the resource and the field path
/// (`VirtualService default/reviews: spec.http[0].timeout: not a duration: soon`).
struct FieldPath {
    /// The resource (`VirtualService default/reviews`).
    let resource: String
    /// The field (`spec.http[0].timeout`).
    let path: String

    /// The field `key` below this one.
    func at(_ key: String) -> FieldPath { FieldPath(resource: resource, path: path.isEmpty ? key : "\(path).\(key)") }

    /// Item `index` of this list.
    subscript(index: Int) -> FieldPath { FieldPath(resource: resource, path: "\(path)[\(index)]") }

    /// An error about this field.
    func fail(_ problem: String) -> ProxyError { ProxyError.invalid(resource, path, problem) }

    /// `text`, this field's value, as a duration (Go syntax: `1.5s`, `100ms`); not negative.
    func duration(_ text: String?) throws(ProxyError) -> Duration? {
        guard let text else { return nil }
        guard let parsed = try? GoDuration.parse(text) else { throw fail("not a duration: \(text)") }
        guard parsed.nanoseconds >= 0 else { throw fail("must not be negative") }
        return .nanoseconds(parsed.nanoseconds)
    }
}

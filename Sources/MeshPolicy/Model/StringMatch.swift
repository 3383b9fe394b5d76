/// An HTTP match condition on a string: exactly one of `exact`, `prefix` or `regex` (RE2 syntax).
public struct StringMatch: Codable, Sendable, Hashable {
    public var exact: String?
    public var prefix: String?
    public var regex: String?

    public init(exact: String? = nil, prefix: String? = nil, regex: String? = nil) {
        self.exact = exact
        self.prefix = prefix
        self.regex = regex
    }
}

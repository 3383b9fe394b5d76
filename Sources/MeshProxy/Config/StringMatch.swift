/// Istio's `StringMatch`: exact, prefix or (RE2-style, whole-string) regex.
public enum StringMatch: Sendable, CustomStringConvertible {
    case exact(String)
    case prefix(String)
    case regex(CompiledRegex)

    /// Whether `text` matches.
    @inlinable
    public func matches(_ text: Substring) -> Bool {
        switch self {
        case .exact(let value): text == value
        case .prefix(let value): text.hasPrefix(value)
        case .regex(let regex): regex.wholeMatches(text)
        }
    }

    /// Whether `text` matches.
    public func matches(_ text: String) -> Bool { matches(text[...]) }

    public var description: String {
        switch self {
        case .exact(let value): "exact:\(value)"
        case .prefix(let value): "prefix:\(value)"
        case .regex(let regex): "regex:\(regex.source)"
        }
    }
}

/// A compiled regular expression shared across event loops; it is never mutated after compilation.
public final class CompiledRegex: @unchecked Sendable {
    /// The expression as written in the config.
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `source`; throws when it is not a valid expression.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    /// Whether the whole of `text` matches (Envoy's RE2 semantics).
    public func wholeMatches(_ text: Substring) -> Bool {
        (try? regex.wholeMatch(in: text)) != nil
    }
}

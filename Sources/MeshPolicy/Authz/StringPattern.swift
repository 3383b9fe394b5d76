/// An Istio authorization value: exact, `prefix*`, `*suffix`, or `*` (present and not empty).
///
/// Matching works on UTF-8 bytes, so it is fast and does no Unicode normalisation (as Envoy's matchers).
public enum StringPattern: Sendable, Hashable, CustomStringConvertible {
    case exact(String)
    case prefix(String)
    case suffix(String)
    /// `*`: any non-empty value.
    case presence

    /// The pattern of an authorization value; `lowercased` folds case (hosts are matched case-insensitively).
    public init(_ value: String, lowercased: Bool = false) {
        let value = lowercased ? value.lowercased() : value
        if value == "*" {
            self = .presence
        } else if value.hasPrefix("*") {
            self = .suffix(String(value.dropFirst()))
        } else if value.hasSuffix("*") {
            self = .prefix(String(value.dropLast()))
        } else {
            self = .exact(value)
        }
    }

    /// Whether `candidate` matches; a missing value never does.
    @inline(__always)
    public func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        switch self {
        case .exact(let text): return candidate == text
        case .prefix(let text): return candidate.utf8.starts(with: text.utf8)
        case .suffix(let text): return candidate.utf8.reversed().starts(with: text.utf8.reversed())
        case .presence: return !candidate.isEmpty
        }
    }

    public var description: String {
        switch self {
        case .exact(let text): text
        case .prefix(let text): text + "*"
        case .suffix(let text): "*" + text
        case .presence: "*"
        }
    }
}

/// Glob matching where `*` stands for any run of characters (including none), on UTF-8 bytes.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != UInt8(ascii: "*"), p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

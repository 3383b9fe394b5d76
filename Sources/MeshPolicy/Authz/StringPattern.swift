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
        case .prefix(let text): return UTF8Bytes.hasPrefix(candidate, text)
        case .suffix(let text): return UTF8Bytes.hasSuffix(candidate, text)
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
        var pattern = pattern, text = text
        return pattern.withUTF8 { p in text.withUTF8 { t in matches(p, t) } }
    }

    private static func matches(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let star = UInt8(ascii: "*")
        var pi = 0, ti = 0, starAt = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] != star, p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == star {
                starAt = pi
                mark = ti
                pi += 1
            } else if starAt >= 0 {
                pi = starAt + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == star { pi += 1 }
        return pi == p.count
    }
}

/// Prefix and suffix tests on the UTF-8 bytes of native strings, without copying or allocating.
enum UTF8Bytes {
    @inline(__always)
    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            prefix.utf8.withContiguousStorageIfAvailable { head in equal(bytes, from: 0, head) }
        }
        if let fast, let result = fast { return result }
        return text.utf8.starts(with: prefix.utf8)
    }

    @inline(__always)
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            suffix.utf8.withContiguousStorageIfAvailable { tail in equal(bytes, from: bytes.count - tail.count, tail) }
        }
        if let fast, let result = fast { return result }
        return text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// Whether `part` occurs in `bytes` at `start`.
    @inline(__always)
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        guard start >= 0, start + part.count <= bytes.count else { return false }
        var index = 0
        while index < part.count {
            if bytes[start + index] != part[index] { return false }
            index += 1
        }
        return true
    }
}

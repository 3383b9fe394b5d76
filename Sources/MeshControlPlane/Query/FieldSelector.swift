import MeshCore

/// A field selector: `metadata.name=web,spec.nodeName=node-1,status.phase!=Running`.
///
/// Any dotted path into the object works (`spec.nodeName`, `involvedObject.name`); a missing field is the empty string.
public struct FieldSelector: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public var path: [String]
        public var value: String
        public var negated: Bool
    }

    public var terms: [Term]

    public init(parsing text: String) throws(APIError) {
        terms = []
        for raw in text.split(separator: ",") {
            let item = raw.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            var term: Term?
            for (op, negated) in [("!=", true), ("==", false), ("=", false)] {
                if let range = item.range(of: op) {
                    let key = item[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                    term = Term(path: key.split(separator: ".").map(String.init),
                                value: item[range.upperBound...].trimmingCharacters(in: .whitespaces), negated: negated)
                    break
                }
            }
            guard let term, !term.path.isEmpty else {
                throw APIError.badRequest("invalid field selector \"\(text)\": expected key=value or key!=value")
            }
            terms.append(term)
        }
    }

    /// Whether the object satisfies every term.
    public func matches(_ object: Value) -> Bool {
        matches { Self.text(at: $0, in: object) }
    }

    /// Whether every term holds, reading each field's value (as `text(at:in:)` gives it) through `field`.
    func matches(_ field: ([String]) -> String) -> Bool {
        terms.allSatisfy { (field($0.path) == $0.value) != $0.negated }
    }

    /// A field's value as selectors compare it: strings as they are, numbers and booleans as text, anything else
    /// (a missing field too) the empty string.
    static func text(at path: [String], in object: Value) -> String {
        var current: Value? = object
        for key in path { current = current?[key] }
        switch current {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: return ""
        }
    }

    /// The value required for `path` by an equality term (used to narrow a watch to one name).
    public func requiredValue(_ path: String) -> String? {
        terms.first { !$0.negated && $0.path.joined(separator: ".") == path }?.value
    }
}

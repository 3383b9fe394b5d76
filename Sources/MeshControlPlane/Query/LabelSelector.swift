import MeshCore

/// A Kubernetes label selector in its string form: `app=web,tier!=db,env in (a,b),!legacy,release`.
public struct LabelSelector: Sendable, Equatable {
    /// One requirement; all must hold.
    public enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    public var requirements: [Requirement]

    /// Parses the string form; throws a 400 on malformed selectors.
    public init(parsing text: String) throws(APIError) {
        requirements = []
        for part in try Self.splitTopLevel(text) {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            requirements.append(try Self.requirement(item, whole: text))
        }
    }

    /// The selector of a workload (`matchLabels` and `matchExpressions`).
    public init(object: Value) {
        requirements = []
        for (key, value) in object["matchLabels"]?.objectValue ?? [:] {
            requirements.append(.equals(key, value.stringValue ?? ""))
        }
        for expression in object["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = Set(expression["values"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            switch expression["operator"]?.stringValue {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            default: requirements.append(.doesNotExist(key))
            }
        }
    }

    private static func splitTopLevel(_ text: String) throws(APIError) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1; current.append(character)
            case ")":
                depth -= 1
                guard depth >= 0 else { throw APIError.badRequest("unable to parse requirement: unbalanced parentheses in \"\(text)\"") }
                current.append(character)
            case "," where depth == 0: parts.append(current); current = ""
            default: current.append(character)
            }
        }
        guard depth == 0 else { throw APIError.badRequest("unable to parse requirement: unbalanced parentheses in \"\(text)\"") }
        parts.append(current)
        return parts
    }

    private static func requirement(_ item: String, whole: String) throws(APIError) -> Requirement {
        let bad = APIError.badRequest("unable to parse requirement: invalid label selector \"\(whole)\"")
        if item.hasPrefix("!") {
            let key = item.dropFirst().trimmingCharacters(in: .whitespaces)
            guard isKey(key) else { throw bad }
            return .doesNotExist(key)
        }
        for op in ["!=", "==", "="] {
            if let range = item.range(of: op) {
                let key = item[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let value = item[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard isKey(key), isValue(value) else { throw bad }
                return op == "!=" ? .notEquals(key, value) : .equals(key, value)
            }
        }
        let words = item.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2 {
            let rest = words[1].trimmingCharacters(in: .whitespaces)
            for (op, negated) in [("notin", true), ("in", false)] where rest.hasPrefix(op) {
                let list = rest.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
                guard list.hasPrefix("("), list.hasSuffix(")"), isKey(words[0]) else { throw bad }
                let values = Set(list.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                guard values.allSatisfy(isValue) else { throw bad }
                return negated ? .notIn(words[0], values) : .isIn(words[0], values)
            }
            throw bad
        }
        guard isKey(item) else { throw bad }
        return .exists(item)
    }

    private static func isKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 317 && key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
    }

    private static func isValue(_ value: String) -> Bool {
        value.count <= 63 && value.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    /// The labels of an object.
    static func labels(of object: Value) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in object["metadata"]?["labels"]?.objectValue ?? [:] { labels[key] = value.stringValue ?? "" }
        return labels
    }
}

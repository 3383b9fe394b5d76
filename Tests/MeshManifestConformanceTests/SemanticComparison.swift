import MeshCore

/// Compares manifests as data: strings that hold JSON objects or lists (the status, overrides and prober
/// annotations and env values) are compared parsed, so key order inside them does not matter.
enum SemanticComparison {
    static func normalize(_ value: Value) -> Value {
        switch value {
        case .object(let object):
            // `creationTimestamp: null` is Go's zero time, written by typed round trips only.
            return .object(Value.Object(object.filter { !($0.key == "creationTimestamp" && $0.value.isNull) }
                .map { ($0.key, normalize($0.value)) }))
        case .array(let items):
            return .array(items.map(normalize))
        case .string(let text):
            let trimmed = text.trimmingWhitespace()
            if trimmed.hasPrefix("{") || trimmed.hasPrefix("["), let parsed = try? JSON.parse(trimmed) {
                return .object(["$json": normalize(parsed)])
            }
            return value
        default:
            return value
        }
    }

    /// The first path where `lhs` and `rhs` differ, with both values, or `nil` when equal.
    static func firstDifference(_ lhs: Value, _ rhs: Value, path: String = "") -> String? {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            for key in (a.keys + b.keys.filter { a[$0] == nil }) {
                guard let x = a[key] else { return "\(path).\(key): missing in ours, want \(short(b[key]!))" }
                guard let y = b[key] else { return "\(path).\(key): unexpected \(short(x))" }
                if let difference = firstDifference(x, y, path: "\(path).\(key)") { return difference }
            }
            return nil
        case (.array(let a), .array(let b)):
            for index in 0..<min(a.count, b.count) {
                if let difference = firstDifference(a[index], b[index], path: "\(path)[\(index)]") { return difference }
            }
            return a.count == b.count ? nil : "\(path): \(a.count) items, want \(b.count)"
        default:
            if lhs == rhs { return nil }
            if let x = lhs.doubleValue, let y = rhs.doubleValue, x == y { return nil }
            return "\(path): got \(short(lhs)), want \(short(rhs))"
        }
    }

    static func short(_ value: Value) -> String {
        let text = JSON.emit(value)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\n" || first == "\t" || first == "\r" {
            scalars.removeFirst()
        }
        while let last = scalars.last, last == " " || last == "\n" || last == "\t" || last == "\r" {
            scalars.removeLast()
        }
        return String(scalars)
    }
}

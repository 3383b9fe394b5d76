import Foundation
import MeshCore

/// The subset of JSONPath that printer columns use: `.a.b`, `.a[0]`, `.a[*].b`, `.a[?(@.k=="v")].b`.
enum JSONPathLite {
    /// The values the path selects in `value`.
    static func evaluate(_ path: String, in value: Value) -> [Value] {
        var current: [Value] = [value]
        var rest = Substring(path.hasPrefix("{") && path.hasSuffix("}") ? String(path.dropFirst().dropLast()) : path)
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                rest = rest.dropFirst(key.count)
                if key.isEmpty { continue }
                current = current.compactMap { $0[String(key)] }
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return [] }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if inside == "*" {
                    current = current.flatMap { $0.arrayValue ?? $0.objectValue.map { $0.map(\.value) } ?? [] }
                } else if let index = Int(inside) {
                    current = current.compactMap { item in
                        guard let items = item.arrayValue else { return nil }
                        let position = index < 0 ? items.count + index : index
                        return items.indices.contains(position) ? items[position] : nil
                    }
                } else if inside.hasPrefix("?(@.") && inside.hasSuffix(")") {
                    let condition = inside.dropFirst(4).dropLast()
                    guard let equals = condition.range(of: "==") else { return [] }
                    let key = String(condition[..<equals.lowerBound])
                    let expected = condition[equals.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                    current = current.flatMap { item in
                        (item.arrayValue ?? []).filter { Self.scalarText($0[key]) == expected }
                    }
                } else {
                    return []
                }
            } else {
                return []
            }
        }
        return current
    }

    /// A scalar as a table cell shows it.
    static func scalarText(_ value: Value?) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        case .none, .null: ""
        case .some(let other): JSON.emit(other)
        }
    }
}

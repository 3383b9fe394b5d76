import Foundation
import MeshCore

/// RFC 6902 JSON patch: add, remove, replace, move, copy, test over RFC 6901 pointers.
enum JSONPatch {
    static func apply(_ patch: Value, to target: Value) throws(APIError) -> Value {
        guard case .array(let operations) = patch else { throw APIError.badRequest("a JSON patch must be an array of operations") }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw APIError.badRequest("a JSON patch operation needs \"op\" and \"path\"")
            }
            let pointer = try parse(path)
            switch op {
            case "add": document = try set(document, pointer[...], try required(operation, "value"), insert: true)
            case "replace":
                _ = try get(document, pointer)
                document = try set(document, pointer[...], try required(operation, "value"), insert: false)
            case "remove": document = try remove(document, pointer[...])
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else { throw APIError.badRequest("\(op) needs \"from\"") }
                let source = try parse(from)
                let value = try get(document, source)
                if op == "move" { document = try remove(document, source[...]) }
                document = try set(document, pointer[...], value, insert: true)
            case "test":
                guard try get(document, pointer) == (try required(operation, "value")) else {
                    throw APIError(code: 422, reason: "Invalid", message: "the test operation at \(path) failed")
                }
            default:
                throw APIError.badRequest("unknown JSON patch operation \"\(op)\"")
            }
        }
        return document
    }

    private static func required(_ operation: Value, _ key: String) throws(APIError) -> Value {
        guard let value = operation[key] else { throw APIError.badRequest("the operation needs \"\(key)\"") }
        return value
    }

    static func parse(_ path: String) throws(APIError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw APIError.badRequest("invalid JSON pointer \"\(path)\"") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ value: Value, _ pointer: [String]) throws(APIError) -> Value {
        var current = value
        for token in pointer {
            if case .array(let items) = current, let index = Int(token), items.indices.contains(index) {
                current = items[index]
            } else if let next = current[token], current.objectValue != nil {
                current = next
            } else {
                throw APIError(code: 422, reason: "Invalid", message: "the JSON patch path /\(pointer.joined(separator: "/")) does not exist")
            }
        }
        return current
    }

    private static func set(_ value: Value, _ pointer: ArraySlice<String>, _ new: Value, insert: Bool) throws(APIError) -> Value {
        guard let token = pointer.first else { return new }
        let rest = pointer.dropFirst()
        switch value {
        case .object(var object):
            if rest.isEmpty { object[token] = new; return .object(object) }
            guard let child = object[token] else { throw missing(pointer) }
            object[token] = try set(child, rest, new, insert: insert)
            return .object(object)
        case .array(var items):
            let index = token == "-" ? items.count : Int(token) ?? -1
            if rest.isEmpty {
                if insert, index >= 0, index <= items.count { items.insert(new, at: index); return .array(items) }
                if !insert, items.indices.contains(index) { items[index] = new; return .array(items) }
                throw missing(pointer)
            }
            guard items.indices.contains(index) else { throw missing(pointer) }
            items[index] = try set(items[index], rest, new, insert: insert)
            return .array(items)
        default:
            throw missing(pointer)
        }
    }

    private static func remove(_ value: Value, _ pointer: ArraySlice<String>) throws(APIError) -> Value {
        guard let token = pointer.first else { throw APIError.badRequest("cannot remove the whole document") }
        let rest = pointer.dropFirst()
        switch value {
        case .object(var object):
            guard let child = object[token] else { throw missing(pointer) }
            if rest.isEmpty { object[token] = Value?.none } else { object[token] = try remove(child, rest) }
            return .object(object)
        case .array(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw missing(pointer) }
            if rest.isEmpty { items.remove(at: index) } else { items[index] = try remove(items[index], rest) }
            return .array(items)
        default:
            throw missing(pointer)
        }
    }

    private static func missing(_ pointer: ArraySlice<String>) -> APIError {
        APIError(code: 422, reason: "Invalid", message: "the JSON patch path does not exist at \"\(pointer.joined(separator: "/"))\"")
    }
}

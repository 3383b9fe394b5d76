/// A YAML or JSON document as one value: what manifests, kubeconfigs, API bodies and command output are made of.
///
/// Mappings keep the order of their keys, so a document read and written back keeps its shape; emitters may
/// sort keys instead (Kubernetes style).
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case object(Object)

    /// An ordered mapping from string keys to values.
    public struct Object: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
        /// The keys in insertion order.
        public private(set) var keys: [String] = []
        private var storage: [String: Value] = [:]

        public init() {}

        public init(dictionaryLiteral elements: (String, Value)...) {
            for (key, value) in elements { self[key] = value }
        }

        public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
            for (key, value) in pairs { self[key] = value }
        }

        /// The value for `key`; setting `nil` removes the key, setting a new key appends it.
        public subscript(key: String) -> Value? {
            get { storage[key] }
            set {
                if let newValue {
                    if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
                } else if storage.removeValue(forKey: key) != nil {
                    keys.removeAll { $0 == key }
                }
            }
        }

        public var count: Int { keys.count }
        public var isEmpty: Bool { keys.isEmpty }

        /// The pairs in key order.
        public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
            var index = 0
            return AnyIterator {
                guard index < keys.count else { return nil }
                defer { index += 1 }
                let key = keys[index]
                return (key, storage[key]!)
            }
        }

        /// Equal when they hold the same pairs, in any order (as JSON objects compare).
        public static func == (lhs: Object, rhs: Object) -> Bool {
            lhs.storage == rhs.storage
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(storage)
        }
    }
}

extension Value {
    /// The member `key` of a mapping, or `nil` for a missing key or a value that is not a mapping.
    public subscript(key: String) -> Value? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of a sequence, or `nil` when out of range or not a sequence.
    public subscript(index: Int) -> Value? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let int): return int
        case .double(let double) where double.rounded() == double && abs(double) < 9.0e18: return Int(double)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let int): return Double(int)
        case .double(let double): return double
        default: return nil
        }
    }

    public var arrayValue: [Value]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var objectValue: Object? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// A short name of the value's kind, for error messages (`string`, `mapping`, …).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "sequence"
        case .object: "mapping"
        }
    }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .object(Object(elements)) }
}

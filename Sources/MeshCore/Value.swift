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
    ///
    /// Keys and values sit in two parallel arrays in insertion order. Most mappings in manifests are small, so a
    /// key is found by a linear scan, which beats hashing; past `indexThreshold` keys a dictionary from key to
    /// position is kept as well, so large mappings stay linear to build.
    public struct Object: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
        /// The keys in insertion order.
        public private(set) var keys: [String] = []
        /// The values, parallel to `keys`.
        private var values: [Value] = []
        /// Key → position, only for mappings with more than `indexThreshold` keys.
        private var index: [String: Int]? = nil

        /// Mappings up to this many keys are searched linearly.
        static let indexThreshold = 16

        public init() {}

        public init(dictionaryLiteral elements: (String, Value)...) {
            for (key, value) in elements { self[key] = value }
        }

        public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
            for (key, value) in pairs { self[key] = value }
        }

        /// Makes room for `capacity` keys.
        public mutating func reserveCapacity(_ capacity: Int) {
            keys.reserveCapacity(capacity)
            values.reserveCapacity(capacity)
        }

        /// The position of `key` in `keys`.
        private func position(of key: String) -> Int? {
            if let index { return index[key] }
            return keys.firstIndex(of: key)
        }

        /// The value for `key`; setting `nil` removes the key, setting a new key appends it.
        public subscript(key: String) -> Value? {
            get {
                guard let position = position(of: key) else { return nil }
                return values[position]
            }
            set {
                if let newValue {
                    if let position = position(of: key) {
                        values[position] = newValue
                    } else {
                        append(key, newValue)
                    }
                } else if let position = position(of: key) {
                    remove(at: position)
                }
            }
            _modify {
                // Move the value out while it is being changed, so a nested mutation does not copy it.
                if let position = position(of: key) {
                    var item: Value? = values[position]
                    values[position] = .null
                    defer {
                        if let item { values[position] = item } else { remove(at: position) }
                    }
                    yield &item
                } else {
                    var item: Value? = nil
                    defer { if let item { append(key, item) } }
                    yield &item
                }
            }
        }

        private mutating func append(_ key: String, _ value: Value) {
            // Growing one by one from nothing reallocates four times before most mappings are complete.
            if keys.capacity == 0 { reserveCapacity(8) }
            keys.append(key)
            values.append(value)
            if index != nil {
                index![key] = keys.count - 1
            } else if keys.count > Self.indexThreshold {
                buildIndex()
            }
        }

        private mutating func remove(at position: Int) {
            keys.remove(at: position)
            values.remove(at: position)
            index = nil
            if keys.count > Self.indexThreshold { buildIndex() }
        }

        private mutating func buildIndex() {
            var index: [String: Int] = [:]
            index.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() { index[key] = position }
            self.index = index
        }

        public var count: Int { keys.count }
        public var isEmpty: Bool { keys.isEmpty }

        /// The pairs in key order.
        public func makeIterator() -> Iterator {
            Iterator(keys: keys, values: values)
        }

        /// Walks the pairs in key order.
        public struct Iterator: IteratorProtocol {
            let keys: [String]
            let values: [Value]
            var position = 0

            public mutating func next() -> (key: String, value: Value)? {
                guard position < keys.count else { return nil }
                defer { position += 1 }
                return (keys[position], values[position])
            }
        }

        /// Equal when they hold the same pairs, in any order (as JSON objects compare).
        public static func == (lhs: Object, rhs: Object) -> Bool {
            guard lhs.count == rhs.count else { return false }
            for (position, key) in lhs.keys.enumerated() {
                guard let other = rhs[key], other == lhs.values[position] else { return false }
            }
            return true
        }

        public func hash(into hasher: inout Hasher) {
            // Order-independent, like a dictionary's hash: combine the pairs' own hashes commutatively.
            var combined = 0
            for position in keys.indices {
                var pair = Hasher()
                pair.combine(keys[position])
                pair.combine(values[position])
                combined ^= pair.finalize()
            }
            hasher.combine(count)
            hasher.combine(combined)
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
            self = .null  // drop this reference so `object` is unique and changes in place
            object[key] = newValue
            self = .object(object)
        }
        _modify {
            guard case .object(var object) = self else {
                var ignored: Value? = nil  // not a mapping: like the setter, changes go nowhere
                yield &ignored
                return
            }
            self = .null
            defer { self = .object(object) }
            yield &object[key]
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

/// The keyed container of `ValueDecoding`: a mapping.
struct ValueKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: Value.Object
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    /// A missing key counts as null, so optionals decode as `nil` either way.
    func decodeNil(forKey key: Key) throws -> Bool {
        object[key.stringValue]?.isNull ?? true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ValueDecoding.unbox(try value(for: key), as: type, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try ValueDecoding(value: try value(for: key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoding(value: try value(for: key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoding(value: object["super"] ?? .null, codingPath: codingPath + [ValueCodingKey.superKey])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoding(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }

    private func value(for key: Key) throws -> Value {
        guard let value = object[key.stringValue] else {
            throw MeshCoreError(
                .invalidValue, "missing required key \"\(key.stringValue)\"",
                path: ValueCodingKey.pathString(codingPath + [key]))
        }
        return value
    }
}

/// The unkeyed container of `ValueDecoding`: a sequence.
struct ValueUnkeyedDecoding: UnkeyedDecodingContainer {
    let items: [Value]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(items: [Value], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next()
        return try ValueDecoding.unbox(value, as: type, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (value, path) = try next()
        return try ValueDecoding(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next()
        return try ValueDecoding(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next()
        return ValueDecoding(value: value, codingPath: path)
    }

    private mutating func next() throws -> (Value, [any CodingKey]) {
        let path = codingPath + [ValueCodingKey(index: currentIndex)]
        guard !isAtEnd else {
            throw MeshCoreError(
                .invalidValue, "expected more than \(items.count) items", path: ValueCodingKey.pathString(path))
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], path)
    }
}

/// The single-value container of `ValueDecoding`.
struct ValueSingleDecoding: SingleValueDecodingContainer {
    let value: Value
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try ValueDecoding.unbox(value, as: type, path: codingPath)
    }
}

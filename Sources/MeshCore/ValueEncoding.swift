/// The `Encoder` behind `ValueEncoder`, writing into one box.
struct ValueEncoding: Encoder {
    let box: ValueEncodingBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeObject()
        return KeyedEncodingContainer(ValueKeyedEncoding<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeArray()
        return ValueUnkeyedEncoding(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        ValueSingleEncoding(box: box, codingPath: codingPath)
    }
}

struct ValueKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueEncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        box.child(forKey: key.stringValue).content = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try box.child(forKey: key.stringValue).store(value, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        ValueEncoding(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoding(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoding(box: box.child(forKey: "super"), codingPath: codingPath + [ValueCodingKey.superKey])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoding(box: box.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

struct ValueUnkeyedEncoding: UnkeyedEncodingContainer {
    let box: ValueEncodingBox
    let codingPath: [any CodingKey]
    var count: Int { box.arrayCount }

    private var nextPath: [any CodingKey] { codingPath + [ValueCodingKey(index: count)] }

    mutating func encodeNil() throws {
        box.appendChild().content = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try box.appendChild().store(value, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let path = nextPath
        return ValueEncoding(box: box.appendChild(), codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        return ValueEncoding(box: box.appendChild(), codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        return ValueEncoding(box: box.appendChild(), codingPath: path)
    }
}

struct ValueSingleEncoding: SingleValueEncodingContainer {
    let box: ValueEncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws {
        box.content = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try box.store(value, path: codingPath)
    }
}

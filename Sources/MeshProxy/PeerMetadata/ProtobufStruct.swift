/// A `google.protobuf.Value`: what a `google.protobuf.Struct` maps its keys to (Istio's peer metadata is one).
enum ProtobufValue: Sendable, Equatable {
    case null
    case number(Double)
    case string(String)
    case bool(Bool)
    case structure([String: ProtobufValue])
    case list([ProtobufValue])

    /// The text of a string value; `nil` for every other kind.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// The protobuf wire form of `google.protobuf.Struct` (`struct.proto`), without a protobuf library: a Struct is
/// field 1, repeated map entries (key 1, Value 2); a Value is one of null 1, number 2 (double), string 3, bool 4,
/// struct 5, list 6 (a ListValue: repeated Value 1).
enum ProtobufStruct {
    /// Nesting deeper than this is refused (protobuf's own default recursion limit is 100).
    static let maxDepth = 32

    /// The wire bytes of `fields`, keys in order (protobuf's deterministic serialisation), so equal metadata
    /// always encodes to the same header value.
    static func encode(_ fields: [String: ProtobufValue]) -> [UInt8] {
        var writer = ProtobufWriter()
        for key in fields.keys.sorted() {
            var entry = ProtobufWriter()
            entry.string(1, key)
            entry.lengthDelimited(2, encodeValue(fields[key]!))
            writer.lengthDelimited(1, entry.bytes)
        }
        return writer.bytes
    }

    private static func encodeValue(_ value: ProtobufValue) -> [UInt8] {
        var writer = ProtobufWriter()
        switch value {
        case .null: writer.varint(1, 0)
        case .number(let number): writer.fixed64(2, number.bitPattern)
        case .string(let text): writer.string(3, text)
        case .bool(let flag): writer.varint(4, flag ? 1 : 0)
        case .structure(let fields): writer.lengthDelimited(5, encode(fields))
        case .list(let values):
            var list = ProtobufWriter()
            for element in values { list.lengthDelimited(1, encodeValue(element)) }
            writer.lengthDelimited(6, list.bytes)
        }
        return writer.bytes
    }

    /// The Struct `bytes` hold, or `nil` when they are not one (truncated, a bad wire type or length, nesting
    /// past `maxDepth`). Unknown fields are skipped, as protobuf parsers do.
    static func decode(_ bytes: [UInt8]) -> [String: ProtobufValue]? {
        var reader = ProtobufReader(bytes[...])
        return decodeStruct(&reader, depth: 0)
    }

    private static func decodeStruct(_ reader: inout ProtobufReader, depth: Int) -> [String: ProtobufValue]? {
        guard depth < maxDepth else { return nil }
        var fields: [String: ProtobufValue] = [:]
        while !reader.isAtEnd {
            guard let (field, wire) = reader.tag() else { return nil }
            guard field == 1, wire == .lengthDelimited else {
                guard reader.skip(wire) else { return nil }
                continue
            }
            guard var entry = reader.lengthDelimited().map(ProtobufReader.init), let (key, value) = entry.lengthDelimitedPair() else {
                return nil
            }
            var decoded = ProtobufValue.null
            if let value {
                var nested = ProtobufReader(value)
                guard let nestedValue = decodeValue(&nested, depth: depth + 1) else { return nil }
                decoded = nestedValue
            }
            fields[String(decoding: key ?? [], as: UTF8.self)] = decoded
        }
        return fields
    }

    private static func decodeValue(_ reader: inout ProtobufReader, depth: Int) -> ProtobufValue? {
        guard depth < maxDepth else { return nil }
        var value = ProtobufValue.null  // a Value with no kind set reads as null
        while !reader.isAtEnd {
            guard let (field, wire) = reader.tag() else { return nil }
            switch (field, wire) {
            case (1, .varint):
                guard reader.varint() != nil else { return nil }
                value = .null
            case (2, .fixed64):
                guard let bits = reader.fixed64() else { return nil }
                value = .number(Double(bitPattern: bits))
            case (3, .lengthDelimited):
                guard let text = reader.lengthDelimited() else { return nil }
                value = .string(String(decoding: text, as: UTF8.self))
            case (4, .varint):
                guard let flag = reader.varint() else { return nil }
                value = .bool(flag != 0)
            case (5, .lengthDelimited):
                guard var nested = reader.lengthDelimited().map(ProtobufReader.init),
                    let fields = decodeStruct(&nested, depth: depth + 1)
                else { return nil }
                value = .structure(fields)
            case (6, .lengthDelimited):
                guard var list = reader.lengthDelimited().map(ProtobufReader.init) else { return nil }
                var values: [ProtobufValue] = []
                while !list.isAtEnd {
                    guard let (listField, listWire) = list.tag() else { return nil }
                    guard listField == 1, listWire == .lengthDelimited else {
                        guard list.skip(listWire) else { return nil }
                        continue
                    }
                    guard var element = list.lengthDelimited().map(ProtobufReader.init),
                        let decoded = decodeValue(&element, depth: depth + 1)
                    else { return nil }
                    values.append(decoded)
                }
                value = .list(values)
            default:
                guard reader.skip(wire) else { return nil }
            }
        }
        return value
    }
}

/// The Protocol Buffers wire format, as far as the proxy's own messages need it (ext-authz `CheckRequest` and
/// `CheckResponse`, Istio's peer metadata `google.protobuf.Struct` and `Any`): no schema, fields by number.

/// Protobuf wire types (the low three bits of a field's tag).
enum ProtobufWireType: UInt64 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// Reads protobuf wire format from untrusted bytes: every read checks the bounds and answers `nil` (or, for
/// `fields`, throws) instead of trapping, so a malformed message from a peer is just refused.
struct ProtobufReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard let byte = bytes.popFirst() else { return nil }
            guard shift < 63 || byte <= 1 else { return nil }  // more than 64 bits
            result |= UInt64(byte & 0x7f) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        return nil
    }

    /// The next field number and wire type; `nil` at a bad tag or an unsupported wire type (groups).
    mutating func tag() -> (field: UInt64, wire: ProtobufWireType)? {
        guard let tag = varint(), let wire = ProtobufWireType(rawValue: tag & 7), tag >> 3 > 0 else { return nil }
        return (tag >> 3, wire)
    }

    mutating func fixed64() -> UInt64? {
        guard bytes.count >= 8 else { return nil }
        var value: UInt64 = 0
        for (index, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << UInt64(index * 8) }
        bytes = bytes.dropFirst(8)
        return value
    }

    mutating func lengthDelimited() -> ArraySlice<UInt8>? {
        guard let length = varint(), length <= UInt64(bytes.count) else { return nil }
        let value = bytes.prefix(Int(length))
        bytes = bytes.dropFirst(Int(length))
        return value
    }

    /// The rest of a message of two length-delimited fields 1 and 2 (a map entry's key and value, an `Any`'s type
    /// URL and value), other fields skipped; either may be missing. `nil` when malformed.
    mutating func lengthDelimitedPair() -> (first: ArraySlice<UInt8>?, second: ArraySlice<UInt8>?)? {
        var first: ArraySlice<UInt8>?
        var second: ArraySlice<UInt8>?
        while !isAtEnd {
            guard let (field, wire) = tag() else { return nil }
            guard (field == 1 || field == 2) && wire == .lengthDelimited else {
                guard skip(wire) else { return nil }
                continue
            }
            guard let bytes = lengthDelimited() else { return nil }
            if field == 1 { first = bytes } else { second = bytes }
        }
        return (first, second)
    }

    /// Skips a field of `wire` type; false when it runs past the end.
    mutating func skip(_ wire: ProtobufWireType) -> Bool {
        switch wire {
        case .varint: return varint() != nil
        case .fixed64: return fixed64() != nil
        case .lengthDelimited: return lengthDelimited() != nil
        case .fixed32:
            guard bytes.count >= 4 else { return false }
            bytes = bytes.dropFirst(4)
            return true
        }
    }

    // MARK: Whole messages

    /// A field's value as `fields` hands it out.
    enum Value {
        case varint(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        /// A fixed32 or fixed64 field (kept so the walk goes on; these messages don't use them).
        case fixed

        /// The field as a string (invalid UTF-8 is repaired).
        var string: String {
            guard case .lengthDelimited(let bytes) = self else { return "" }
            return String(decoding: bytes, as: UTF8.self)
        }

        var bytes: ArraySlice<UInt8> {
            guard case .lengthDelimited(let bytes) = self else { return [] }
            return bytes
        }

        var integer: Int64 {
            guard case .varint(let value) = self else { return 0 }
            return Int64(bitPattern: value)
        }
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String { "malformed protobuf message" }
    }

    /// The fields of `message`, in order (repeated fields appear once per value).
    static func fields(_ message: ArraySlice<UInt8>) throws(Malformed) -> [(field: Int, value: Value)] {
        var reader = ProtobufReader(message)
        var fields: [(field: Int, value: Value)] = []
        while !reader.isAtEnd {
            guard let (field, wire) = reader.tag() else { throw Malformed() }
            let value: Value?
            switch wire {
            case .varint: value = reader.varint().map(Value.varint)
            case .lengthDelimited: value = reader.lengthDelimited().map(Value.lengthDelimited)
            case .fixed64, .fixed32: value = reader.skip(wire) ? .fixed : nil
            }
            guard let value else { throw Malformed() }
            fields.append((Int(field), value))
        }
        return fields
    }
}

/// Writes protobuf wire format. With `omittingDefaults` (a proto3 encoder's plain fields), zero varints and empty
/// strings are left out; without it (oneof members, such as a `Struct` value's kind) every field is written.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []
    let omittingDefaults: Bool

    init(omittingDefaults: Bool = false) {
        self.omittingDefaults = omittingDefaults
    }

    mutating func varint(_ field: Int, _ value: UInt64) {
        if omittingDefaults && value == 0 { return }
        tag(field, .varint)
        raw(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, .fixed64)
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(index * 8))) }
    }

    mutating func string(_ field: Int, _ text: String) {
        if omittingDefaults && text.isEmpty { return }
        lengthDelimited(field, Array(text.utf8))
    }

    /// A bytes field, or an already encoded message.
    mutating func lengthDelimited(_ field: Int, _ value: [UInt8]) {
        tag(field, .lengthDelimited)
        raw(UInt64(value.count))
        bytes += value
    }

    /// A nested message built by `build` with the same defaults rule (written even when empty: its presence can
    /// matter).
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter(omittingDefaults: omittingDefaults)
        build(&inner)
        lengthDelimited(field, inner.bytes)
    }

    /// One entry of a `map<string, string>` field.
    mutating func mapEntry(_ field: Int, _ key: String, _ value: String) {
        message(field) {
            $0.string(1, key)
            $0.string(2, value)
        }
    }

    private mutating func tag(_ field: Int, _ wire: ProtobufWireType) { raw(UInt64(field) << 3 | wire.rawValue) }

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

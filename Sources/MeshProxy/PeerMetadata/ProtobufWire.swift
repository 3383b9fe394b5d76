/// Protobuf wire types (the low three bits of a field's tag).
enum ProtobufWireType: UInt64 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// Reads protobuf wire format from untrusted bytes: every read checks the bounds and answers `nil` instead of
/// trapping, so a malformed message from a peer is just refused.
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
}

/// Writes protobuf wire format.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func tag(_ field: UInt64, _ wire: ProtobufWireType) { raw(field << 3 | wire.rawValue) }

    mutating func varint(field: UInt64, _ value: UInt64) {
        tag(field, .varint)
        raw(value)
    }

    mutating func fixed64(field: UInt64, _ value: UInt64) {
        tag(field, .fixed64)
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(index * 8))) }
    }

    mutating func message(field: UInt64, _ payload: [UInt8]) {
        tag(field, .lengthDelimited)
        raw(UInt64(payload.count))
        bytes += payload
    }

    mutating func string(field: UInt64, _ text: String) { message(field: field, Array(text.utf8)) }
}

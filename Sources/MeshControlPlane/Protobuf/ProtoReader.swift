/// Reads the protobuf wire format: varints, fixed-width numbers and length-delimited fields.
///
/// Every read is bounds-checked and throws on truncated or malformed input, so any bytes are safe to feed it.
struct ProtoReader {
    /// A field as it appears on the wire.
    enum WireValue {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    /// The next field's number and value, or `nil` at the end.
    mutating func next() throws(ProtobufError) -> (Int, WireValue)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let number = Int(truncatingIfNeeded: key >> 3)
        guard number > 0 else { throw ProtobufError("field number 0") }
        switch key & 7 {
        case 0: return (number, .varint(try readVarint()))
        case 1: return (number, .fixed64(try readFixed64()))
        case 5: return (number, .fixed32(try readFixed32()))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(bytes.endIndex - index) else { throw ProtobufError("length-delimited field runs past the end") }
            let start = index
            index += Int(length)
            return (number, .bytes(bytes[start..<index]))
        default: throw ProtobufError("unsupported wire type \(key & 7)")
        }
    }

    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw ProtobufError("truncated varint") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw ProtobufError("varint too long") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readFixed64() throws(ProtobufError) -> UInt64 { try readFixed(8) }

    mutating func readFixed32() throws(ProtobufError) -> UInt32 { UInt32(truncatingIfNeeded: try readFixed(4)) }

    private mutating func readFixed(_ size: Int) throws(ProtobufError) -> UInt64 {
        guard bytes.endIndex - index >= size else { throw ProtobufError("truncated fixed-width field") }
        var result: UInt64 = 0
        for offset in 0..<size { result |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += size
        return result
    }
}

/// A protobuf body that can't be read.
struct ProtobufError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

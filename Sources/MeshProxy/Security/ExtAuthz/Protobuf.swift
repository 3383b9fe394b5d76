/// The Protocol Buffers wire format, just as far as the ext-authz messages need: varints and length-delimited
/// fields (strings, bytes, nested messages, map entries) written; any field read, unknown ones skipped.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    /// A varint field (int32, int64, uint32, enum, bool); proto3 leaves zero out.
    mutating func varint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        key(field, wireType: 0)
        raw(value)
    }

    /// A string field; proto3 leaves the empty string out.
    mutating func string(_ field: Int, _ value: String) {
        guard !value.isEmpty else { return }
        lengthDelimited(field, Array(value.utf8))
    }

    /// A bytes field, or an already encoded message.
    mutating func lengthDelimited(_ field: Int, _ value: [UInt8]) {
        key(field, wireType: 2)
        raw(UInt64(value.count))
        bytes += value
    }

    /// A nested message built by `build` (written even when empty: its presence can matter).
    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
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

    private mutating func key(_ field: Int, wireType: UInt64) {
        raw(UInt64(field) << 3 | wireType)
    }

    private mutating func raw(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}

/// Reads the fields of one message.
enum ProtoReader {
    enum Value {
        case varint(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        /// A fixed32 or fixed64 field (not used by these messages; kept so the walk goes on).
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
        var fields: [(Int, Value)] = []
        var index = message.startIndex
        func varint() throws(Malformed) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < message.endIndex, shift < 64 {
                let byte = message[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            throw Malformed()
        }
        while index < message.endIndex {
            let key = try varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0:
                fields.append((field, .varint(try varint())))
            case 2:
                let length = try varint()
                guard length <= UInt64(message.endIndex - index) else { throw Malformed() }
                let end = index + Int(length)
                fields.append((field, .lengthDelimited(message[index..<end])))
                index = end
            case 1, 5:
                let size = key & 7 == 1 ? 8 : 4
                guard message.endIndex - index >= size else { throw Malformed() }
                index += size
                fields.append((field, .fixed))
            default:
                throw Malformed()
            }
        }
        return fields
    }
}

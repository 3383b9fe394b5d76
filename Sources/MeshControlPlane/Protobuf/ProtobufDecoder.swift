import Foundation
import MeshCore

/// Turns Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`) into the JSON form of the object.
///
/// The envelope is the 4 bytes `k8s\0` and a `runtime.Unknown` whose type meta names the kind and whose `raw`
/// holds the typed message; field names come from the generated schema table. Kubernetes' special messages
/// (times, quantities, int-or-string, raw JSON) get their JSON spelling.
struct ProtobufDecoder {
    var schema = ProtoSchema.shared
    /// Nested messages deeper than this are refused (a hostile body can't exhaust the stack).
    var maxDepth = 64

    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The object in a protobuf body.
    func decodeEnvelope(_ body: [UInt8]) throws(ProtobufError) -> Value {
        guard body.count >= 4, Array(body.prefix(4)) == Self.magic else {
            throw ProtobufError("the body does not start with the Kubernetes protobuf magic bytes")
        }
        var reader = ProtoReader(body[4...])
        var apiVersion = "", kind = ""
        var raw: ArraySlice<UInt8> = []
        while let (number, value) = try reader.next() {
            switch (number, value) {
            case (1, .bytes(let typeMeta)):
                var meta = ProtoReader(typeMeta)
                while let (field, item) = try meta.next() {
                    if case .bytes(let text) = item {
                        if field == 1 { apiVersion = string(text) } else if field == 2 { kind = string(text) }
                    }
                }
            case (2, .bytes(let bytes)): raw = bytes
            default: break
            }
        }
        guard let message = schema.messageName(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError("no protobuf schema for \(apiVersion.isEmpty ? "?" : apiVersion)/\(kind.isEmpty ? "?" : kind)")
        }
        var object = Value.Object()
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        if case .object(let fields) = try decode(raw, message: message, depth: 0) {
            for (key, value) in fields { object[key] = value }
        }
        return .object(object)
    }

    /// One message as its JSON value.
    func decode(_ bytes: ArraySlice<UInt8>, message: String, depth: Int) throws(ProtobufError) -> Value {
        guard depth < maxDepth else { throw ProtobufError("message nesting too deep") }
        if let special = try decodeSpecial(bytes, message: message) { return special }
        guard let fields = schema.messages[message] else { throw ProtobufError("unknown message \(message)") }
        var object = Value.Object()
        var reader = ProtoReader(bytes)
        while let (number, wire) = try reader.next() {
            guard let field = fields[number] else { continue }
            switch field.label {
            case .optional:
                object[field.name] = try scalarOrMessage(wire, type: field.type, depth: depth)
            case .repeated:
                var items = object[field.name]?.arrayValue ?? []
                if case .bytes(let packed) = wire, Self.isPackable(field.type) {
                    var inner = ProtoReader(packed)
                    while let (_, element) = try inner.nextPacked(type: field.type) {
                        items.append(try scalarOrMessage(element, type: field.type, depth: depth))
                    }
                } else {
                    items.append(try scalarOrMessage(wire, type: field.type, depth: depth))
                }
                object[field.name] = .array(items)
            case .map:
                guard case .bytes(let entry) = wire else { throw ProtobufError("map entry of \(field.name) is not a message") }
                var inner = ProtoReader(entry)
                var key = "", value: Value = field.type == "string" || field.type == "bytes" ? .string("") : .null
                while let (entryField, entryWire) = try inner.next() {
                    if entryField == 1, case .bytes(let text) = entryWire { key = string(text) }
                    if entryField == 2 { value = try scalarOrMessage(entryWire, type: field.type, depth: depth) }
                }
                var map = object[field.name]?.objectValue ?? Value.Object()
                map[key] = value
                object[field.name] = .object(map)
            }
        }
        return .object(object)
    }

    private func scalarOrMessage(_ wire: ProtoReader.WireValue, type: String, depth: Int) throws(ProtobufError) -> Value {
        switch (type, wire) {
        case ("string", .bytes(let bytes)): return .string(string(bytes))
        case ("bytes", .bytes(let bytes)): return .string(Data(bytes).base64EncodedString())
        case ("bool", .varint(let number)): return .bool(number != 0)
        case ("int32", .varint(let number)), ("int64", .varint(let number)):
            return .int(Int(truncatingIfNeeded: Int64(bitPattern: number)))
        case ("uint32", .varint(let number)), ("uint64", .varint(let number)):
            return .int(Int(truncatingIfNeeded: number))
        case ("double", .fixed64(let bits)): return .double(Double(bitPattern: bits))
        case ("float", .fixed32(let bits)): return .double(Double(Float(bitPattern: bits)))
        case (_, .bytes(let bytes)) where schema.messages[type] != nil:
            return try decode(bytes, message: type, depth: depth + 1)
        default:
            throw ProtobufError("field of type \(type) has the wrong wire type")
        }
    }

    /// Kubernetes messages whose JSON form is not an object of their fields.
    private func decodeSpecial(_ bytes: ArraySlice<UInt8>, message: String) throws(ProtobufError) -> Value? {
        switch message {
        case "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
            var seconds: Int64 = 0, nanos: Int64 = 0
            var reader = ProtoReader(bytes)
            while let (number, wire) = try reader.next() {
                if case .varint(let value) = wire {
                    if number == 1 { seconds = Int64(bitPattern: value) } else if number == 2 { nanos = Int64(bitPattern: value) }
                }
            }
            let micro = message.hasSuffix("MicroTime") ? Int(nanos / 1000) : nil
            return .string(Timestamp.rfc3339(seconds: Int(seconds), microseconds: micro))
        case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            return .string(try firstString(bytes) ?? "0")
        case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
            var type: UInt64 = 0, intValue: Int = 0, stringValue = ""
            var reader = ProtoReader(bytes)
            while let (number, wire) = try reader.next() {
                switch (number, wire) {
                case (1, .varint(let value)): type = value
                case (2, .varint(let value)): intValue = Int(Int32(truncatingIfNeeded: value))
                case (3, .bytes(let text)): stringValue = string(text)
                default: break
                }
            }
            return type == 1 ? .string(stringValue) : .int(intValue)
        case "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1":
            var reader = ProtoReader(bytes)
            while let (number, wire) = try reader.next() {
                if number == 1, case .bytes(let raw) = wire {
                    do { return try JSON.parse(bytes: raw) } catch { throw ProtobufError("embedded JSON: \(error.message)") }
                }
            }
            return .object([:])
        default:
            return nil
        }
    }

    private func firstString(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> String? {
        var reader = ProtoReader(bytes)
        while let (number, wire) = try reader.next() {
            if number == 1, case .bytes(let text) = wire { return string(text) }
        }
        return nil
    }

    private func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func isPackable(_ type: String) -> Bool {
        ["bool", "int32", "int64", "uint32", "uint64", "double", "float", "sint32", "sint64"].contains(type)
    }
}

extension ProtoReader {
    /// The next element of a packed repeated scalar.
    mutating func nextPacked(type: String) throws(ProtobufError) -> (Int, WireValue)? {
        guard !isAtEnd else { return nil }
        switch type {
        case "double": return (0, .fixed64(try readFixed64()))
        case "float": return (0, .fixed32(try readFixed32()))
        default: return (0, .varint(try readVarint()))
        }
    }
}

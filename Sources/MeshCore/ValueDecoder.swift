/// Decodes any `Decodable` type from a `Value`, such as a kubeconfig or a Kubernetes object read from YAML or
/// JSON.
///
/// Numbers convert where no information is lost: an integer into a `Double` property, a whole double into an
/// `Int` property. A missing key or `null` decodes as `nil` for optionals. Errors say what was expected and where
/// (`spec.containers[0].name`).
public struct ValueDecoder: Sendable {
    public init() {}

    /// Decodes a `T` from `value`.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from value: Value) throws(MeshCoreError) -> T {
        do {
            return try T(from: ValueDecoding(value: value, codingPath: []))
        } catch let error as MeshCoreError {
            throw error
        } catch let error as DecodingError {
            throw Self.convert(error)
        } catch {
            throw MeshCoreError(.invalidValue, "\(error)")
        }
    }

    /// Turns a `DecodingError` thrown by a type's own `init(from:)` into MeshCore's error with a path.
    static func convert(_ error: DecodingError) -> MeshCoreError {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return MeshCoreError(.invalidValue, context.debugDescription, path: pathOrNil(context.codingPath))
        case .keyNotFound(let key, let context):
            return MeshCoreError(
                .invalidValue, "missing required key \"\(key.stringValue)\"",
                path: pathOrNil(context.codingPath + [key]))
        @unknown default:
            return MeshCoreError(.invalidValue, "\(error)")
        }
    }

    static func pathOrNil(_ path: [any CodingKey]) -> String? {
        path.isEmpty ? nil : ValueCodingKey.pathString(path)
    }
}

/// The `Decoder` behind `ValueDecoder`: one value and where it sits.
final class ValueDecoding: Decoder {
    let value: Value
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: Value, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw Self.mismatch("a mapping", value, codingPath) }
        return KeyedDecodingContainer(ValueKeyedDecoding<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw Self.mismatch("a sequence", value, codingPath) }
        return ValueUnkeyedDecoding(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ValueSingleDecoding(value: value, codingPath: codingPath)
    }

    static func mismatch(_ expected: String, _ value: Value, _ path: [any CodingKey]) -> MeshCoreError {
        let found: String
        switch value {
        case .null: found = "null"
        case .bool(let bool): found = "boolean \(bool)"
        case .int(let int): found = "integer \(int)"
        case .double(let double): found = "number \(GoFloatFormat.yaml(double))"
        case .string: found = "a string"
        case .array: found = "a sequence"
        case .object: found = "a mapping"
        }
        return MeshCoreError(.invalidValue, "expected \(expected), found \(found)", path: ValueDecoder.pathOrNil(path))
    }

    /// Converts a scalar to a primitive type, with the lossless number conversions.
    static func unbox<T: Decodable>(_ value: Value, as type: T.Type, path: [any CodingKey]) throws -> T {
        func integer<I: FixedWidthInteger>(_: I.Type) throws -> I {
            switch value {
            case .int(let int): if let exact = I(exactly: int) { return exact }
            case .double(let double): if let exact = I(exactly: double) { return exact }
            default: break
            }
            throw mismatch("an integer that fits \(I.self)", value, path)
        }
        func cast(_ result: Any) throws -> T {
            guard let result = result as? T else { throw mismatch("\(T.self)", value, path) }
            return result
        }
        switch type {
        case is Value.Type: return try cast(value)
        case is String.Type:
            guard case .string(let string) = value else { throw mismatch("a string", value, path) }
            return try cast(string)
        case is Bool.Type:
            guard case .bool(let bool) = value else { throw mismatch("a boolean", value, path) }
            return try cast(bool)
        case is Double.Type:
            guard let double = value.doubleValue else { throw mismatch("a number", value, path) }
            return try cast(double)
        case is Float.Type:
            guard let double = value.doubleValue else { throw mismatch("a number", value, path) }
            return try cast(Float(double))
        case is Int.Type: return try cast(try integer(Int.self))
        case is Int8.Type: return try cast(try integer(Int8.self))
        case is Int16.Type: return try cast(try integer(Int16.self))
        case is Int32.Type: return try cast(try integer(Int32.self))
        case is Int64.Type: return try cast(try integer(Int64.self))
        case is UInt.Type: return try cast(try integer(UInt.self))
        case is UInt8.Type: return try cast(try integer(UInt8.self))
        case is UInt16.Type: return try cast(try integer(UInt16.self))
        case is UInt32.Type: return try cast(try integer(UInt32.self))
        case is UInt64.Type: return try cast(try integer(UInt64.self))
        default: return try T(from: ValueDecoding(value: value, codingPath: path))
        }
    }
}

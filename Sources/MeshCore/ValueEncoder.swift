/// Encodes any `Encodable` type into a `Value`, ready to print as YAML or JSON.
///
/// Mappings keep the order in which the type encodes its keys (declaration order for synthesized conformances),
/// and optionals that are `nil` are left out, as Kubernetes' `omitempty` fields are.
public struct ValueEncoder: Sendable {
    public init() {}

    /// Encodes `value`; a type that encodes nothing becomes an empty mapping.
    public func encode<T: Encodable>(_ value: T) throws(MeshCoreError) -> Value {
        if let value = value as? Value { return value }
        let box = ValueEncodingBox()
        do {
            try value.encode(to: ValueEncoding(box: box, codingPath: []))
        } catch let error as MeshCoreError {
            throw error
        } catch let error as EncodingError {
            switch error {
            case .invalidValue(_, let context):
                throw MeshCoreError(.invalidValue, context.debugDescription, path: ValueDecoder.pathOrNil(context.codingPath))
            @unknown default:
                throw MeshCoreError(.invalidValue, "\(error)")
            }
        } catch {
            throw MeshCoreError(.invalidValue, "\(error)")
        }
        return box.value
    }
}

/// A node under construction; a class so nested containers can fill it after they were handed out.
final class ValueEncodingBox {
    enum Content {
        case empty
        case value(Value)
        case array([ValueEncodingBox])
        case object(keys: [String], boxes: [String: ValueEncodingBox])
    }

    var content: Content = .empty

    var value: Value {
        switch content {
        case .empty: return [:]
        case .value(let value): return value
        case .array(let boxes): return .array(boxes.map(\.value))
        case .object(let keys, let boxes):
            var object = Value.Object()
            for key in keys { object[key] = boxes[key]?.value ?? .null }
            return .object(object)
        }
    }

    /// The child box for `key`, creating it (at the end of the key order) if needed.
    func child(forKey key: String) -> ValueEncodingBox {
        var keys: [String] = []
        var boxes: [String: ValueEncodingBox] = [:]
        if case .object(let existingKeys, let existingBoxes) = content {
            if let box = existingBoxes[key] { return box }
            keys = existingKeys
            boxes = existingBoxes
        }
        content = .empty  // drop the references so the appends below don't copy
        let box = ValueEncodingBox()
        keys.append(key)
        boxes[key] = box
        content = .object(keys: keys, boxes: boxes)
        return box
    }

    /// A new child box at the end of a sequence.
    func appendChild() -> ValueEncodingBox {
        var boxes: [ValueEncodingBox] = []
        if case .array(let existing) = content { boxes = existing }
        content = .empty
        let box = ValueEncodingBox()
        boxes.append(box)
        content = .array(boxes)
        return box
    }

    func makeObject() {
        if case .object = content { return }
        content = .object(keys: [], boxes: [:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var arrayCount: Int {
        if case .array(let boxes) = content { return boxes.count }
        return 0
    }

    /// Stores a primitive or hands the value to its own `encode(to:)`.
    func store<T: Encodable>(_ value: T, path: [any CodingKey]) throws {
        switch value {
        case let value as Value: content = .value(value)
        case let value as String: content = .value(.string(value))
        case let value as Bool: content = .value(.bool(value))
        case let value as Double: content = .value(.double(value))
        case let value as Float: content = .value(.double(Double(value.description) ?? Double(value)))
        case let value as Int: content = .value(.int(value))
        case let value as any FixedWidthInteger:
            if let int = Int(exactly: value) {
                content = .value(.int(int))
            } else {
                content = .value(.double(Double(value)))
            }
        default:
            try value.encode(to: ValueEncoding(box: self, codingPath: path))
        }
    }
}

/// `Value` is `Codable`, so a struct can hold a free-form field (`annotations`, a CRD's `spec`) and still
/// decode with `ValueDecoder` (where it is taken as is) or any other decoder (where it is rebuilt from what the
/// decoder offers; key order then follows that decoder).
extension Value: Codable {
    public init(from decoder: any Decoder) throws {
        if let decoding = decoder as? ValueDecoding {
            self = decoding.value
            return
        }
        if let container = try? decoder.container(keyedBy: ValueCodingKey.self) {
            var object = Object()
            for key in container.allKeys { object[key.stringValue] = try container.decode(Value.self, forKey: key) }
            self = .object(object)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var items: [Value] = []
            while !container.isAtEnd { items.append(try container.decode(Value.self)) }
            self = .array(items)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if let encoding = encoder as? ValueEncoding {
            encoding.box.content = .value(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let bool):
            var container = encoder.singleValueContainer()
            try container.encode(bool)
        case .int(let int):
            var container = encoder.singleValueContainer()
            try container.encode(int)
        case .double(let double):
            var container = encoder.singleValueContainer()
            try container.encode(double)
        case .string(let string):
            var container = encoder.singleValueContainer()
            try container.encode(string)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let object):
            var container = encoder.container(keyedBy: ValueCodingKey.self)
            for (key, value) in object { try container.encode(value, forKey: ValueCodingKey(stringValue: key)) }
        }
    }
}

import MeshCore

/// Checks a custom object against its CRD's structural OpenAPI v3 schema, as the API server does: types, enums
/// and required fields are errors; unknown fields are pruned (or errors with `fieldValidation=Strict`).
struct SchemaValidator {
    var strict: Bool
    private(set) var causes: [(field: String, message: String)] = []

    init(strict: Bool) {
        self.strict = strict
    }

    /// The value with unknown fields pruned; problems are collected in `causes`.
    mutating func check(_ value: Value, schema: Value, path: String) -> Value {
        guard causes.count < 50 else { return value }
        if value.isNull { return value }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            if value.intValue == nil, value.stringValue == nil {
                causes.append((field(path), "Invalid value: \"\(value.kindName)\": must be an integer or a string"))
            }
            return value
        }
        let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        switch schema["type"]?.stringValue {
        case "object":
            guard case .object(let object) = value else { return mismatch(value, "object", path) }
            let properties = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"]
            var result = Value.Object()
            for (key, item) in object {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let property = properties?[key] {
                    result[key] = check(item, schema: property, path: childPath)
                } else if let additional, additional.objectValue != nil {
                    result[key] = check(item, schema: additional, path: childPath)
                } else if preserve || additional?.boolValue == true || (properties == nil && additional == nil) {
                    result[key] = item
                } else if strict {
                    causes.append((field(childPath), "unknown field \"\(field(childPath))\""))
                }
            }
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[required] == nil {
                causes.append((field(path.isEmpty ? required : "\(path).\(required)"), "Required value"))
            }
            return .object(result)
        case "array":
            guard case .array(let items) = value else { return mismatch(value, "array", path) }
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.enumerated().map { check($1, schema: itemSchema, path: "\(path)[\($0)]") })
        case "string":
            guard case .string(let text) = value else { return mismatch(value, "string", path) }
            checkEnum(value, schema, path, text: "\"\(text)\"")
        case "integer":
            guard value.intValue != nil else { return mismatch(value, "integer", path) }
            checkEnum(value, schema, path, text: JSON.emit(value))
        case "number":
            guard value.doubleValue != nil else { return mismatch(value, "number", path) }
        case "boolean":
            guard value.boolValue != nil else { return mismatch(value, "boolean", path) }
        default:
            break
        }
        return value
    }

    private mutating func checkEnum(_ value: Value, _ schema: Value, _ path: String, text: String) {
        guard let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) else { return }
        let list = allowed.map { JSON.emit($0) }.joined(separator: ", ")
        causes.append((field(path), "Unsupported value: \(text): supported values: \(list)"))
    }

    private mutating func mismatch(_ value: Value, _ expected: String, _ path: String) -> Value {
        causes.append((field(path), "Invalid value: \"\(value.kindName)\": \(field(path)) in body must be of type \(expected): \"\(value.kindName)\""))
        return value
    }

    private func field(_ path: String) -> String { path.isEmpty ? "<root>" : path }
}

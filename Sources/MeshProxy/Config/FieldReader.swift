import MeshCore

/// Typed access to one object of a resource, with errors that name the resource and the field path
/// (`VirtualService default/reviews: spec.http[0].timeout: not a duration`).
struct FieldReader {
    let resource: String
    let path: String
    let object: Value.Object

    init(resource: String, path: String, value: Value?) throws(ProxyError) {
        guard let object = value?.objectValue else {
            throw ProxyError.invalid(resource, path, "expected an object")
        }
        self.resource = resource
        self.path = path
        self.object = object
    }

    private func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    func string(_ key: String) throws(ProxyError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw ProxyError.invalid(resource, field(key), "expected a string") }
        return text
    }

    func requiredString(_ key: String) throws(ProxyError) -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw ProxyError.invalid(resource, field(key), "required")
        }
        return text
    }

    func int(_ key: String) throws(ProxyError) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        if let number = value.intValue { return number }
        if let text = value.stringValue, let number = Int(text) { return number }
        throw ProxyError.invalid(resource, field(key), "expected an integer")
    }

    func double(_ key: String) throws(ProxyError) -> Double? {
        guard let value = object[key], !value.isNull else { return nil }
        if let number = value.doubleValue { return number }
        throw ProxyError.invalid(resource, field(key), "expected a number")
    }

    func bool(_ key: String) throws(ProxyError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw ProxyError.invalid(resource, field(key), "expected true or false") }
        return flag
    }

    func duration(_ key: String) throws(ProxyError) -> Duration? {
        try FieldPath(resource: resource, path: field(key)).duration(string(key))
    }

    func hostPort(_ key: String) throws(ProxyError) -> HostPort? {
        guard let text = try string(key) else { return nil }
        guard let value = HostPort(parsing: text) else {
            throw ProxyError.invalid(resource, field(key), "expected HOST:PORT, got \(text)")
        }
        return value
    }

    func strings(_ key: String) throws(ProxyError) -> [String] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw ProxyError.invalid(resource, field(key), "expected a list") }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                throw ProxyError.invalid(resource, "\(field(key))[\(index)]", "expected a string")
            }
            result.append(text)
        }
        return result
    }

    func stringMap(_ key: String) throws(ProxyError) -> [String: String] {
        guard let value = object[key], !value.isNull else { return [:] }
        guard let items = value.objectValue else { throw ProxyError.invalid(resource, field(key), "expected a map") }
        var result: [String: String] = [:]
        for (name, item) in items {
            guard let text = item.stringValue ?? item.intValue.map(String.init) ?? item.boolValue.map(String.init) else {
                throw ProxyError.invalid(resource, "\(field(key)).\(name)", "expected a string")
            }
            result[name] = text
        }
        return result
    }

    func child(_ key: String) throws(ProxyError) -> FieldReader? {
        guard let value = object[key], !value.isNull else { return nil }
        return try FieldReader(resource: resource, path: field(key), value: value)
    }

    func children(_ key: String) throws(ProxyError) -> [FieldReader] {
        guard let value = object[key], !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw ProxyError.invalid(resource, field(key), "expected a list") }
        var result: [FieldReader] = []
        for (index, item) in items.enumerated() {
            result.append(try FieldReader(resource: resource, path: "\(field(key))[\(index)]", value: item))
        }
        return result
    }

    func fail(_ key: String, _ problem: String) -> ProxyError {
        ProxyError.invalid(resource, field(key), problem)
    }
}

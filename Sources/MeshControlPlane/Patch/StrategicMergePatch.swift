import MeshCore

/// Strategic merge patch for the built-in kinds: like a merge patch, but lists of named things (containers,
/// volumes, env, ports, …) merge element by element on their merge key, and the `$patch`, `$retainKeys`,
/// `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives are understood.
enum StrategicMergePatch {
    /// Merge keys by list field name; `ports` picks `containerPort` or `port` from the elements.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "hostAliases": "ip", "conditions": "type", "ownerReferences": "uid", "addresses": "type", "taints": "key",
        "topologySpreadConstraints": "topologyKey", "resourceClaims": "name", "secrets": "name",
    ]
    /// Lists of scalars merged as sets.
    static let mergedScalarLists: Set<String> = ["finalizers"]

    static func apply(_ patch: Value, to target: Value) throws(APIError) -> Value {
        guard case .object(let changes) = patch else { throw APIError.badRequest("a strategic merge patch must be an object") }
        return try merge(changes, into: target.objectValue ?? Value.Object())
    }

    private static func merge(_ changes: Value.Object, into original: Value.Object) throws(APIError) -> Value {
        if changes["$patch"]?.stringValue == "replace" {
            var replaced = changes
            replaced["$patch"] = nil
            return .object(replaced)
        }
        if changes["$patch"]?.stringValue == "delete" { return .null }
        var result = original
        if let retain = changes["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            for key in result.keys where !retain.contains(key) { result[key] = nil }
        }
        for (key, change) in changes {
            if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let removed = change.arrayValue ?? []
                if let items = result[field]?.arrayValue { result[field] = .array(items.filter { !removed.contains($0) }) }
                continue
            }
            if change.isNull { result[key] = nil; continue }
            switch (change, result[key]) {
            case (.object(let inner), .some(.object(let existing))):
                let merged = try merge(inner, into: existing)
                result[key] = merged.isNull ? Value?.none : merged
            case (.object(let inner), _):
                let merged = try merge(inner, into: [:])
                result[key] = merged.isNull ? Value?.none : merged
            case (.array(let items), .some(.array(let existing))):
                result[key] = .array(try mergeList(key, items, into: existing))
            default:
                result[key] = stripDirectives(change)
            }
        }
        return .object(result)
    }

    private static func mergeList(_ field: String, _ patch: [Value], into original: [Value]) throws(APIError) -> [Value] {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return patch.filter { $0["$patch"] == nil }.map(stripDirectives)
        }
        if mergedScalarLists.contains(field) {
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return result
        }
        let key: String? = field == "ports"
            ? ((patch + original).contains { $0["containerPort"] != nil } ? "containerPort" : "port")
            : mergeKeys[field]
        guard let key else { return patch.map(stripDirectives) }
        var result = original
        for item in patch {
            guard case .object(let changes) = item, let identity = changes[key] else {
                result.append(stripDirectives(item))
                continue
            }
            if let index = result.firstIndex(where: { $0[key] == identity }) {
                if changes["$patch"]?.stringValue == "delete" {
                    result.remove(at: index)
                } else {
                    result[index] = try merge(changes, into: result[index].objectValue ?? [:])
                }
            } else if changes["$patch"]?.stringValue != "delete" {
                result.append(try merge(changes, into: [:]))
            }
        }
        return result
    }

    private static func stripDirectives(_ value: Value) -> Value {
        switch value {
        case .object(let object):
            var result = Value.Object()
            for (key, item) in object where !key.hasPrefix("$") { result[key] = stripDirectives(item) }
            return .object(result)
        case .array(let items):
            return .array(items.map(stripDirectives))
        default:
            return value
        }
    }
}

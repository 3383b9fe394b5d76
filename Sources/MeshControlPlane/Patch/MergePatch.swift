import MeshCore

/// RFC 7386 JSON merge patch: objects merge recursively, `null` removes, everything else replaces.
enum MergePatch {
    static func apply(_ patch: Value, to target: Value) -> Value {
        guard case .object(let changes) = patch else { return patch }
        var result = target.objectValue ?? Value.Object()
        for (key, change) in changes {
            if change.isNull {
                result[key] = nil
            } else {
                result[key] = apply(change, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}

import MeshCore

/// Merges a typed encoding back onto the document it came from, and finds the fields the typed model did not read.
///
/// A typed model only knows the fields it declares. Writing the typed encoding *over* the original keeps every
/// other field (newer API fields, status, managed fields) exactly as it was, so a round trip loses nothing.
enum ValueOverlay {
    /// `typed` laid over `base`: mappings merge key by key (typed wins), sequences of the same length merge item
    /// by item, anything else is replaced by `typed`.
    static func overlay(_ typed: Value, on base: Value) -> Value {
        switch (base, typed) {
        case (.object(var merged), .object(let top)):
            for (key, value) in top {
                merged[key] = merged[key].map { overlay(value, on: $0) } ?? value
            }
            return .object(merged)
        case (.array(let bottom), .array(let top)) where bottom.count == top.count:
            return .array(zip(bottom, top).map { overlay($1, on: $0) })
        default:
            return typed
        }
    }

    /// Paths (`spec.rules[0].form`) of fields in `original` that `decoded` (the typed re-encoding) lacks; `null`
    /// fields are not reported, since they mean "unset".
    static func unknownFields(original: Value, decoded: Value, path: String = "") -> [String] {
        switch (original, decoded) {
        case (.object(let source), .object(let known)):
            var result: [String] = []
            for (key, value) in source {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let match = known[key] {
                    result += unknownFields(original: value, decoded: match, path: child)
                } else if !value.isNull {
                    result.append(child)
                }
            }
            return result
        case (.array(let source), .array(let known)) where source.count == known.count:
            return zip(source, known).enumerated().flatMap { index, pair in
                unknownFields(original: pair.0, decoded: pair.1, path: "\(path)[\(index)]")
            }
        default:
            return []
        }
    }
}

import MeshCore

/// A set of field paths in the `FieldsV1` form of `metadata.managedFields`: `f:<name>` steps into a field,
/// `k:{"name":"web"}` into the item of a keyed list, and `.` stands for the item itself. Lists without a merge
/// key are atomic (one leaf).
struct FieldSet: Equatable {
    typealias Path = [String]
    private(set) var leaves: Set<Path>

    init(_ leaves: Set<Path> = []) { self.leaves = leaves }

    /// The fields a configuration sets (what an applier owns), without what the server owns: `apiVersion`,
    /// `kind`, the name, namespace and bookkeeping of `metadata`, and `status`.
    init(setBy configuration: Value) {
        var leaves: Set<Path> = []
        for (key, value) in configuration.objectValue ?? [:] where !["apiVersion", "kind", "status"].contains(key) {
            if key == "metadata" {
                for (field, inner) in value.objectValue ?? [:] where Self.userMetadata.contains(field) {
                    Self.collect(inner, field: field, into: &leaves, at: ["f:metadata", "f:" + field])
                }
            } else {
                Self.collect(value, field: key, into: &leaves, at: ["f:" + key])
            }
        }
        self.leaves = leaves
    }

    static let userMetadata: Set<String> = ["labels", "annotations", "finalizers", "ownerReferences"]

    private static func collect(_ value: Value, field: String, into leaves: inout Set<Path>, at path: Path) {
        switch value {
        case .object(let object) where !object.isEmpty:
            for (key, inner) in object { collect(inner, field: key, into: &leaves, at: path + ["f:" + key]) }
        case .array(let items) where !items.isEmpty:
            guard let key = mergeKey(field, items) else { leaves.insert(path); return }
            for item in items {
                let itemPath = path + [itemStep(key, item)]
                leaves.insert(itemPath + ["."])
                collect(item, field: "", into: &leaves, at: itemPath)
            }
        default:
            leaves.insert(path)
        }
    }

    /// The merge key of a list of objects that all carry it (the strategic-merge keys of the built-in kinds).
    static func mergeKey(_ field: String, _ items: [Value]) -> String? {
        let key = field == "ports" ? (items.contains { $0["containerPort"] != nil } ? "containerPort" : "port")
            : StrategicMergePatch.mergeKeys[field]
        guard let key, items.allSatisfy({ $0.objectValue != nil && $0[key] != nil }) else { return nil }
        return key
    }

    static func itemStep(_ key: String, _ item: Value) -> String {
        "k:" + JSON.emit([key: item[key] ?? .null])
    }

    func contains(_ path: Path) -> Bool { leaves.contains(path) }

    func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(leaves.subtracting(other.leaves)) }

    func union(_ other: FieldSet) -> FieldSet { FieldSet(leaves.union(other.leaves)) }

    var isEmpty: Bool { leaves.isEmpty }

    /// The nested `FieldsV1` object.
    var fieldsV1: Value {
        var root: Value = [:]
        for path in leaves { Self.insert(path[...], into: &root) }
        return root
    }

    private static func insert(_ path: ArraySlice<String>, into node: inout Value) {
        guard let first = path.first else { return }
        var child = node[first] ?? [:]
        insert(path.dropFirst(), into: &child)
        node[first] = child
    }

    /// Reads a `FieldsV1` object back.
    init(fieldsV1: Value) {
        var leaves: Set<Path> = []
        func walk(_ node: Value, _ path: Path) {
            guard let object = node.objectValue, !object.isEmpty else {
                if !path.isEmpty { leaves.insert(path) }
                return
            }
            for (key, child) in object { walk(child, path + [key]) }
        }
        walk(fieldsV1, [])
        self.leaves = leaves
    }

    /// The value a leaf path names in `object` (`nil` when absent; items themselves, `.`, have no value).
    static func value(at path: Path, in object: Value) -> Value? {
        var current = object
        for step in path {
            if step.hasPrefix("f:") {
                guard let next = current[String(step.dropFirst(2))] else { return nil }
                current = next
            } else if let key = itemKey(step) {
                guard let item = current.arrayValue?.first(where: { $0[key.name] == key.value }) else { return nil }
                current = item
            } else {
                return nil
            }
        }
        return current
    }

    /// `value` without the field or list item at `path` (unchanged when it is not there).
    static func removing(_ path: ArraySlice<String>, from value: Value) -> Value {
        guard let step = path.first else { return value }
        let rest = path.dropFirst()
        if step.hasPrefix("f:"), let inner = value[String(step.dropFirst(2))] {
            var copy = value
            copy[String(step.dropFirst(2))] = rest.isEmpty ? Value?.none : removing(rest, from: inner)
            return copy
        }
        if let key = itemKey(step), case .array(var items) = value,
           let index = items.firstIndex(where: { $0[key.name] == key.value }) {
            if rest.first == "." { items.remove(at: index) } else { items[index] = removing(rest, from: items[index]) }
            return .array(items)
        }
        return value
    }

    /// The key field and value of a `k:` step.
    static func itemKey(_ step: String) -> (name: String, value: Value)? {
        guard step.hasPrefix("k:"), let key = try? JSON.parse(String(step.dropFirst(2))),
              let first = key.objectValue?.first(where: { _ in true }) else { return nil }
        return (first.0, first.1)
    }

    /// A path as people read it: `.spec.containers[name="web"].image`.
    static func describe(_ path: Path) -> String {
        path.map { step -> String in
            if step.hasPrefix("f:") { return "." + step.dropFirst(2) }
            if let key = itemKey(step) { return "[\(key.name)=\(JSON.emit(key.value))]" }
            return ""
        }.joined()
    }
}

import MeshCore

/// `metadata.managedFields`: which manager owns which fields. Every write records it; server-side apply refuses
/// to take a field that another manager owns with a different value (409) unless forced, and an update takes
/// the fields whose values it changed.
struct ManagedFields: Equatable {
    struct Entry: Equatable {
        var manager: String
        /// `Apply` or `Update`.
        var operation: String
        var apiVersion: String
        var time: String
        var subresource: String?
        var fields: FieldSet
    }

    /// A field another manager owns with a value the apply would change.
    struct Conflict: Equatable {
        var manager: String
        var path: FieldSet.Path
    }

    private(set) var entries: [Entry]

    /// From `metadata.managedFields` (entries that are not `FieldsV1` objects are dropped).
    init(_ value: Value?) {
        entries = (value?.arrayValue ?? []).compactMap { item in
            guard let manager = item["manager"]?.stringValue, let fields = item["fieldsV1"], fields.objectValue != nil else { return nil }
            return Entry(manager: manager, operation: item["operation"]?.stringValue ?? "Update",
                         apiVersion: item["apiVersion"]?.stringValue ?? "", time: item["time"]?.stringValue ?? "",
                         subresource: item["subresource"]?.stringValue, fields: FieldSet(fieldsV1: fields))
        }
    }

    /// The `metadata.managedFields` array (`nil` when nobody manages anything).
    var value: Value? {
        guard !entries.isEmpty else { return nil }
        return .array(entries.map { entry in
            var item: Value = ["manager": .string(entry.manager), "operation": .string(entry.operation),
                               "apiVersion": .string(entry.apiVersion), "time": .string(entry.time),
                               "fieldsType": "FieldsV1", "fieldsV1": entry.fields.fieldsV1]
            if let subresource = entry.subresource { item["subresource"] = .string(subresource) }
            return item
        })
    }

    /// Server-side apply by `manager` of `configuration` onto `current` (`nil` when the apply creates the
    /// object). Returns the conflicts, and records nothing, when another manager owns a field the apply would
    /// change and `force` is false; with `force` the fields change hands.
    mutating func apply(manager: String, configuration: Value, current: Value?, apiVersion: String, time: String,
                        force: Bool) -> [Conflict] {
        applyResult(manager: manager, configuration: configuration, current: current, apiVersion: apiVersion, time: time, force: force).conflicts
    }

    /// `apply`, and the fields this manager applied before, stopped sending, and nobody else manages: the
    /// apply removes them from the object.
    mutating func applyResult(manager: String, configuration: Value, current: Value?, apiVersion: String, time: String,
                              force: Bool) -> (conflicts: [Conflict], abandoned: [FieldSet.Path]) {
        let applied = FieldSet(setBy: configuration)
        let before = entries.first { $0.manager == manager && $0.operation == "Apply" && $0.subresource == nil }?.fields ?? FieldSet()
        var conflicts: [Conflict] = []
        for (index, entry) in entries.enumerated() where !(entry.manager == manager && entry.operation == "Apply") && entry.subresource == nil {
            for path in entry.fields.leaves.intersection(applied.leaves).sorted(by: { $0.lexicographicallyPrecedes($1) })
            where path.last != "." && FieldSet.value(at: path, in: current ?? [:]) != FieldSet.value(at: path, in: configuration) {
                conflicts.append(Conflict(manager: entry.manager, path: path))
                if force { entries[index].fields = entries[index].fields.subtracting(FieldSet([path])) }
            }
        }
        if !conflicts.isEmpty, !force { return (conflicts, []) }
        set(Entry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: time, subresource: nil, fields: applied))
        let others = entries.filter { !($0.manager == manager && $0.operation == "Apply" && $0.subresource == nil) }
            .reduce(FieldSet()) { $0.union($1.fields) }
        let abandoned = before.subtracting(applied).subtracting(others).leaves
            .filter { path in !applied.leaves.contains { $0.starts(with: path.last == "." ? path.dropLast() : path) } }
        return ([], abandoned.sorted { $0.count > $1.count })
    }

    /// A create, update or non-apply patch by `manager`: it takes the fields whose values it set or changed from
    /// everyone else.
    mutating func update(manager: String, old: Value?, new: Value, apiVersion: String, time: String, subresource: String?) {
        let changed = FieldSet(FieldSet(setBy: new).leaves.filter { path in
            path.last == "." ? Self.item(path, in: old) == nil : FieldSet.value(at: path, in: old ?? [:]) != FieldSet.value(at: path, in: new)
        })
        guard !changed.isEmpty else { return }
        for index in entries.indices { entries[index].fields = entries[index].fields.subtracting(changed) }
        let own = entries.first { $0.manager == manager && $0.operation == "Update" && $0.subresource == subresource }?.fields ?? FieldSet()
        set(Entry(manager: manager, operation: "Update", apiVersion: apiVersion, time: time, subresource: subresource,
                  fields: own.union(changed)))
    }

    /// Drops what no longer exists in `object` (removed fields and list items) and entries left with nothing.
    mutating func prune(to object: Value) {
        for index in entries.indices {
            entries[index].fields = FieldSet(entries[index].fields.leaves.filter { path in
                path.last == "." ? Self.item(path, in: object) != nil : FieldSet.value(at: path, in: object) != nil
            })
        }
        entries.removeAll { $0.fields.isEmpty }
    }

    /// Replaces the manager's entry; the time stays when nothing else changed, so a repeated apply is a no-op.
    private mutating func set(_ entry: Entry) {
        if let index = entries.firstIndex(where: { $0.manager == entry.manager && $0.operation == entry.operation && $0.subresource == entry.subresource }) {
            let unchanged = entries[index].fields == entry.fields && entries[index].apiVersion == entry.apiVersion
            entries[index] = unchanged ? Entry(manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion,
                                               time: entries[index].time, subresource: entry.subresource, fields: entry.fields) : entry
        } else {
            entries.append(entry)
        }
    }

    private static func item(_ path: FieldSet.Path, in object: Value?) -> Value? {
        guard let object else { return nil }
        return FieldSet.value(at: Array(path.dropLast()), in: object)
    }

    /// The 409 a refused apply answers, naming each conflicting field and its manager as kubectl prints them.
    static func conflictError(_ conflicts: [Conflict], _ type: ResourceType, name: String) -> APIError {
        let lines = conflicts.map { "conflict with \"\($0.manager)\": \(FieldSet.describe($0.path))" }
        let summary = conflicts.count == 1 ? "Apply failed with 1 conflict: \(lines[0])"
            : "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        var details = APIError.details(type, name: name)
        details["causes"] = .array(conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \"\($0.manager)\""), "field": .string(FieldSet.describe($0.path))]
        })
        return APIError(code: 409, reason: "Conflict", message: summary, details: details)
    }
}

/// One open sequence or mapping while `YAMLParser` builds a document.
///
/// A class so the parser can mutate the top of its stack in place. A mapping collects its entries in order and
/// applies merge keys (`<<`) when it closes: keys written in the mapping always win, and among merged mappings
/// the earlier one wins, as the YAML merge-key spec says.
final class YAMLFrame {
    let isMapping: Bool
    let anchor: String?
    var line = 1
    var column = 1
    /// This node plus everything inside it, for the alias budget.
    private(set) var nodes = 1

    private var items: [Value] = []
    /// The mapping's own pairs in order (keys written in it are unique).
    private var explicit = Value.Object()
    /// The line each key of `explicit` was written on, for the repeated-key error.
    private var keyLines: [Int] = []
    /// Merge keys: the sources, and how many explicit pairs came before them.
    private var merges: [(position: Int, sources: [Value.Object])] = []
    private var pendingKey: (key: String, isMerge: Bool, line: Int, column: Int)?

    init(isMapping: Bool, anchor: String?) {
        self.isMapping = isMapping
        self.anchor = anchor
    }

    func add(_ value: Value, nodes: Int, isMergeKey: Bool, line: Int, column: Int) throws(MeshCoreError) {
        self.nodes += nodes
        guard isMapping else {
            items.append(value)
            return
        }
        guard let key = pendingKey else {
            pendingKey = (try Self.keyString(value, line: line, column: column), isMergeKey, line, column)
            return
        }
        pendingKey = nil
        if key.isMerge {
            merges.append((explicit.count, try Self.mergeSources(value, line: key.line, column: key.column)))
            return
        }
        if explicit[key.key] != nil {
            let firstLine = explicit.keys.firstIndex(of: key.key).map { keyLines[$0] } ?? key.line
            throw MeshCoreError(
                .malformedYAML, "mapping key \"\(key.key)\" already defined at line \(firstLine)",
                line: key.line, column: key.column)
        }
        explicit[key.key] = value
        keyLines.append(key.line)
    }

    func finish() -> Value {
        guard isMapping else { return .array(items) }
        guard !merges.isEmpty else { return .object(explicit) }
        // Merged keys go where their merge key was; keys written in the mapping win, then earlier sources.
        var object = Value.Object()
        var nextMerge = 0
        func applyMerges(upTo position: Int) {
            while nextMerge < merges.count, merges[nextMerge].position <= position {
                for source in merges[nextMerge].sources {
                    for (key, value) in source where explicit[key] == nil && object[key] == nil {
                        object[key] = value
                    }
                }
                nextMerge += 1
            }
        }
        for (position, pair) in explicit.enumerated() {
            applyMerges(upTo: position)
            object[pair.key] = pair.value
        }
        applyMerges(upTo: explicit.count)
        return .object(object)
    }

    /// The string form of a mapping key: strings as they are, other scalars as Kubernetes' YAML-to-JSON
    /// conversion writes them (`1`, `true`, `1.5`, `null`).
    static func keyString(_ key: Value, line: Int, column: Int) throws(MeshCoreError) -> String {
        switch key {
        case .string(let string): return string
        case .int(let int): return String(int)
        case .double(let double): return GoFloatFormat.yaml(double)
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return "null"
        case .array, .object:
            throw MeshCoreError(.malformedYAML, "a \(key.kindName) cannot be a mapping key", line: line, column: column)
        }
    }

    private static func mergeSources(_ value: Value, line: Int, column: Int) throws(MeshCoreError) -> [Value.Object] {
        switch value {
        case .object(let object):
            return [object]
        case .array(let items):
            var sources: [Value.Object] = []
            for item in items {
                guard case .object(let object) = item else {
                    throw MeshCoreError(
                        .malformedYAML, "map merge requires a mapping or a sequence of mappings", line: line, column: column)
                }
                sources.append(object)
            }
            return sources
        default:
            throw MeshCoreError(
                .malformedYAML, "map merge requires a mapping or a sequence of mappings", line: line, column: column)
        }
    }
}

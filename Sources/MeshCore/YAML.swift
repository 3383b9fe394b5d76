/// Reading and writing YAML as `Value`s through the system libyaml, with Kubernetes' rules: scalars resolve as
/// go-yaml v2 resolves them (what `kubectl apply -f` sees), and output looks like `kubectl get -o yaml`.
public enum YAML {
    /// How deeply sequences and mappings may nest before parsing fails.
    public static let maxDepth = 512

    /// How many nodes aliases may add to a stream in total; beyond it parsing fails with "excessive aliasing",
    /// so an alias bomb costs milliseconds rather than memory and time in whatever walks the result.
    public static let aliasNodeBudget = 1_000_000

    /// Parses a multi-document stream, skipping empty documents (`---` with nothing, or only comments, or an
    /// explicit `null`) as kubectl does.
    ///
    /// Plain scalars resolve like go-yaml v2: `~`, `null` and empty are null; `true`/`false`, `yes`/`no`,
    /// `on`/`off`, `y`/`n` are booleans; Go integer syntax (`0x1F`, `0o17`, `0755`, `1_000`) is an int; go-yaml's
    /// float pattern, `.inf` and `.nan` are doubles; anything else, and every quoted scalar, is a string. Tags
    /// (`!!str`, `!!int`, …) are honoured, anchors and aliases resolved, merge keys (`<<`) applied; a repeated
    /// key is an error. Non-string keys become their string form (`1`, `true`).
    public static func parseDocuments(_ text: String) throws(MeshCoreError) -> [Value] {
        try parseStream(text).map(\.value).filter { !$0.isNull }
    }

    /// Parses a multi-document stream from UTF-8 bytes; see `parseDocuments(_:)`.
    public static func parseDocuments(bytes: some Collection<UInt8>) throws(MeshCoreError) -> [Value] {
        try parseStream(bytes: bytes).map(\.value).filter { !$0.isNull }
    }

    /// Parses a stream that must hold at most one document; an empty stream is `.null`.
    public static func parse(_ text: String) throws(MeshCoreError) -> Value {
        let documents = try parseStream(text)
        guard documents.count <= 1 else {
            let second = documents[1]
            throw MeshCoreError(
                .malformedYAML, "expected a single YAML document, found \(documents.count)",
                line: second.line, column: second.column)
        }
        return documents.first?.value ?? .null
    }

    private static func parseStream(_ text: String) throws(MeshCoreError) -> [YAMLParser.Document] {
        var text = text
        return try text.withUTF8 { buffer in parseResult(buffer) }.get()
    }

    private static func parseStream(bytes: some Collection<UInt8>) throws(MeshCoreError) -> [YAMLParser.Document] {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in parseResult(buffer) }) {
            return try result.get()
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer in parseResult(buffer) }.get()
    }

    private static func parseResult(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<[YAMLParser.Document], MeshCoreError> {
        var parser = YAMLParser(maxDepth: maxDepth, aliasBudget: aliasNodeBudget)
        do {
            return .success(try parser.parse(buffer))
        } catch {
            return .failure(error)
        }
    }

    /// Writes `value` as one YAML document, the way `kubectl get -o yaml` prints objects.
    ///
    /// Block style, 2-space indent, sequences in mappings not indented, keys in go-yaml's order when `sortKeys`
    /// (else insertion order), `{}`/`[]` for empty containers, strings that would read back as something else
    /// (`"true"`, `"yes"`, `"1.0"`, `"0755"`, `""`, timestamps) double-quoted, multi-line strings as `|` blocks,
    /// long lines not folded. The text ends with a newline.
    public static func emit(_ value: Value, sortKeys: Bool = true) -> String {
        // Our own writer does the common case fast and byte for byte like libyaml; libyaml does the rest.
        if let text = YAMLBlockWriter.document(value, sortKeys: sortKeys) { return text }
        if let writer = YAMLWriter(sortKeys: sortKeys), let text = writer.document(value) {
            return text
        }
        // libyaml refused (it cannot for values we build); JSON is YAML too.
        return JSON.emit(value, indent: 2, sortKeys: sortKeys) + "\n"
    }

    /// Writes several documents separated by `---` lines, as `kubectl get -o yaml` does for several objects.
    public static func emitDocuments(_ values: [Value], sortKeys: Bool = true) -> String {
        values.map { emit($0, sortKeys: sortKeys) }.joined(separator: "---\n")
    }
}

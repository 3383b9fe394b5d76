import CYAML

/// Turns libyaml parser events into `Value`s, one per document; `YAML.parseDocuments` is its public face.
///
/// Containers are built on an explicit stack (no recursion), anchors are resolved by copying the finished value,
/// and every alias adds the size of its value to a budget so a "billion laughs" document fails instead of
/// exploding in the code that walks the result.
struct YAMLParser {
    struct Document {
        var value: Value
        var line: Int
        var column: Int
    }

    let maxDepth: Int
    let aliasBudget: Int

    private var stack: [YAMLFrame] = []
    private var anchors: [String: (value: Value, nodes: Int)] = [:]
    private var aliasNodes = 0
    private var documents: [Document] = []
    private var documentStart = (line: 1, column: 1)

    init(maxDepth: Int, aliasBudget: Int) {
        self.maxDepth = maxDepth
        self.aliasBudget = aliasBudget
    }

    /// Parses every document of the stream in `bytes`.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(MeshCoreError) -> [Document] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw MeshCoreError(.malformedYAML, "could not initialize the YAML parser")
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_input_string(parser, base, bytes.count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw Self.parserError(parser, bytes) }
            let type = event.type
            do {
                try handle(&event)
            } catch {
                yaml_event_delete(&event)
                throw error
            }
            yaml_event_delete(&event)
            if type == YAML_STREAM_END_EVENT { return documents }
        }
    }

    private mutating func handle(_ event: inout yaml_event_t) throws(MeshCoreError) {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors = [:]
            documentStart = (line, column)
            documents.append(Document(value: .null, line: line, column: column))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = Self.string(scalar.value, Int(scalar.length))
            let tag = Self.optionalString(scalar.tag)
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            let (value, isMerge) = try Self.resolveScalar(text, tag: tag, plain: plain, line: line, column: column)
            remember(anchor: scalar.anchor, value: value, nodes: 1)
            try add(value, nodes: 1, isMergeKey: isMerge, line: line, column: column)
        case YAML_ALIAS_EVENT:
            let name = Self.optionalString(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw MeshCoreError(.malformedYAML, "unknown anchor '\(name)' referenced", line: line, column: column)
            }
            aliasNodes += anchored.nodes
            if aliasNodes > aliasBudget {
                throw MeshCoreError(
                    .malformedYAML, "document contains excessive aliasing (more than \(aliasBudget) nodes)",
                    line: line, column: column)
            }
            try add(anchored.value, nodes: anchored.nodes, isMergeKey: false, line: line, column: column)
        case YAML_SEQUENCE_START_EVENT:
            try push(YAMLFrame(isMapping: false, anchor: Self.optionalString(event.data.sequence_start.anchor)),
                line: line, column: column)
        case YAML_MAPPING_START_EVENT:
            try push(YAMLFrame(isMapping: true, anchor: Self.optionalString(event.data.mapping_start.anchor)),
                line: line, column: column)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let value = frame.finish()
            if let anchor = frame.anchor { anchors[anchor] = (value, frame.nodes) }
            try add(value, nodes: frame.nodes, isMergeKey: false, line: frame.line, column: frame.column)
        default:
            break
        }
    }

    private mutating func push(_ frame: YAMLFrame, line: Int, column: Int) throws(MeshCoreError) {
        guard stack.count < maxDepth else {
            throw MeshCoreError(.malformedYAML, "nesting deeper than \(maxDepth) levels", line: line, column: column)
        }
        frame.line = line
        frame.column = column
        stack.append(frame)
    }

    private mutating func remember(anchor: UnsafeMutablePointer<yaml_char_t>?, value: Value, nodes: Int) {
        if let name = Self.optionalString(anchor) { anchors[name] = (value, nodes) }
    }

    /// Hands a finished node to the enclosing container, or makes it the document's root.
    private mutating func add(_ value: Value, nodes: Int, isMergeKey: Bool, line: Int, column: Int)
        throws(MeshCoreError)
    {
        guard let top = stack.last else {
            if !documents.isEmpty { documents[documents.count - 1].value = value }
            return
        }
        try top.add(value, nodes: nodes, isMergeKey: isMergeKey, line: line, column: column)
    }

    // MARK: Scalars

    private static let tagPrefix = "tag:yaml.org,2002:"

    /// Resolves one scalar: plain and untagged by go-yaml's rules, quoted as a string, tagged as its tag says.
    static func resolveScalar(_ text: String, tag: String?, plain: Bool, line: Int, column: Int)
        throws(MeshCoreError) -> (Value, isMerge: Bool)
    {
        guard let tag, tag != "!" else {
            if !plain || tag == "!" { return (.string(text), false) }
            let resolved = YAMLScalar.resolve(text)
            return (resolved.value, resolved.kind == .merge)
        }
        let short = tag.hasPrefix(tagPrefix) ? "!!" + tag.dropFirst(tagPrefix.count) : tag
        let resolved = YAMLScalar.resolve(text)
        func mismatch() -> MeshCoreError {
            let found: String
            switch resolved.kind {
            case .null: found = "!!null"
            case .bool: found = "!!bool"
            case .int: found = "!!int"
            case .float: found = "!!float"
            case .string: found = "!!str"
            case .timestamp: found = "!!timestamp"
            case .merge: found = "!!merge"
            }
            return MeshCoreError(.malformedYAML, "cannot decode \(found) `\(text)` as a \(short)", line: line, column: column)
        }
        switch short {
        case "!!int":
            guard resolved.kind == .int else { throw mismatch() }
            return (resolved.value, false)
        case "!!float":
            if case .int(let int) = resolved.value { return (.double(Double(int)), false) }
            guard resolved.kind == .float else { throw mismatch() }
            return (resolved.value, false)
        case "!!bool":
            guard resolved.kind == .bool else { throw mismatch() }
            return (resolved.value, false)
        case "!!null":
            guard resolved.kind == .null else { throw mismatch() }
            return (.null, false)
        case "!!merge":
            return (.string(text), true)
        default:
            // !!str, !!binary, !!timestamp and application tags keep the text.
            return (.string(text), false)
        }
    }

    // MARK: C strings and errors

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    static func parserError(_ parser: UnsafeMutablePointer<yaml_parser_t>, _ bytes: UnsafeBufferPointer<UInt8>)
        -> MeshCoreError
    {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown YAML error"
        if state.error == YAML_READER_ERROR {
            let (line, column) = position(ofByte: Int(state.problem_offset), in: bytes)
            var message = problem
            if state.problem_value >= 0 {
                message += " (byte 0x\(String(UInt8(truncatingIfNeeded: state.problem_value), radix: 16, uppercase: true)))"
            }
            return MeshCoreError(.malformedYAML, message, line: line, column: column)
        }
        let mark = state.problem_mark
        return MeshCoreError(.malformedYAML, problem, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    static func position(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 1
        var column = 1
        for index in 0..<min(offset, bytes.count) {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

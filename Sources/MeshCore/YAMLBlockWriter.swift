/// Writes one `Value` as YAML straight into a byte buffer, producing exactly what `YAMLWriter` (libyaml's
/// emitter with our settings) produces, for the documents manifests are made of; `YAML.emit` tries it first.
///
/// It covers block mappings and sequences under a mapping or sequence root, and strings of printable ASCII
/// (plus line breaks in literal blocks). For anything else (other characters, keys libyaml would write in the
/// `? key` form, literal blocks that need `+` chomping, scalar roots) it gives up and returns `nil`, and libyaml
/// writes the whole document: the choices it makes there are not worth copying for text that rare.
struct YAMLBlockWriter {
    private var bytes: [UInt8] = []
    private let sortKeys: Bool

    /// The longest key libyaml writes as a simple `key: value` (longer ones get the `? key` form).
    private static let maxSimpleKeyLength = 128

    init(sortKeys: Bool) {
        self.sortKeys = sortKeys
    }

    /// The document's text, or `nil` when it needs something only libyaml's emitter does.
    static func document(_ value: Value, sortKeys: Bool) -> String? {
        var writer = YAMLBlockWriter(sortKeys: sortKeys)
        switch value {
        case .object(let object) where !object.isEmpty:
            guard writer.mapping(object, indent: 0) else { return nil }
        case .array(let items) where !items.isEmpty:
            guard writer.sequence(items, indent: 0) else { return nil }
        default:
            return nil
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// A non-empty mapping whose first key goes at the current position and the others at `indent`; ends with a
    /// line break.
    private mutating func mapping(_ object: Value.Object, indent: Int) -> Bool {
        let keys = sortKeys ? YAMLKeyOrder.sorted(object.keys) : object.keys
        for (position, key) in keys.enumerated() {
            if position > 0 { spaces(indent) }
            guard key.utf8.count <= Self.maxSimpleKeyLength, string(key, isKey: true, indent: indent) else {
                return false
            }
            bytes.append(UInt8(ascii: ":"))
            guard let value = object[key] else { return false }
            switch value {
            case .object(let child) where !child.isEmpty:
                newline()
                spaces(indent + 2)
                guard mapping(child, indent: indent + 2) else { return false }
            case .array(let items) where !items.isEmpty:
                // libyaml does not indent a sequence that is a mapping's value.
                newline()
                spaces(indent)
                guard sequence(items, indent: indent) else { return false }
            default:
                bytes.append(UInt8(ascii: " "))
                guard scalar(value, indent: indent) else { return false }
                newline()
            }
        }
        return true
    }

    /// A non-empty sequence whose first `- ` goes at the current position and the others at `indent`; ends with
    /// a line break.
    private mutating func sequence(_ items: [Value], indent: Int) -> Bool {
        for (position, item) in items.enumerated() {
            if position > 0 { spaces(indent) }
            bytes.append(UInt8(ascii: "-"))
            bytes.append(UInt8(ascii: " "))
            switch item {
            case .object(let child) where !child.isEmpty:
                guard mapping(child, indent: indent + 2) else { return false }
            case .array(let inner) where !inner.isEmpty:
                guard sequence(inner, indent: indent + 2) else { return false }
            default:
                guard scalar(item, indent: indent) else { return false }
                newline()
            }
        }
        return true
    }

    /// A scalar or empty container after `key: ` or `- `, without the line break; a literal block's lines are
    /// indented two more than `indent`.
    private mutating func scalar(_ value: Value, indent: Int) -> Bool {
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .int(let int): append(String(int))
        case .double(let double): append(GoFloatFormat.yaml(double))
        case .string(let text): return string(text, isKey: false, indent: indent)
        case .array: append("[]")
        case .object: append("{}")
        }
        return true
    }

    /// A string in the style `YAMLWriter` asks for and libyaml settles on.
    private mutating func string(_ text: String, isKey: Bool, indent: Int) -> Bool {
        var analysis = Analysis()
        guard analysis.scan(text.utf8) else { return false }
        if analysis.lineBreaks {
            // A literal block; as a key, or where libyaml would not allow one, it's libyaml's job.
            guard !isKey, analysis.blockAllowed, !analysis.needsKeepChomping else { return false }
            literal(text, analysis: analysis, indent: indent + 2)
        } else if YAMLScalar.needsQuotes(text) {
            doubleQuoted(text)
        } else if analysis.blockPlainAllowed {
            append(text)
        } else {
            singleQuoted(text)
        }
        return true
    }

    private mutating func literal(_ text: String, analysis: Analysis, indent: Int) {
        bytes.append(UInt8(ascii: "|"))
        if analysis.leadingSpaceOrBreak { bytes.append(UInt8(ascii: "2")) }
        if !analysis.trailingBreak { bytes.append(UInt8(ascii: "-")) }
        newline()
        var atLineStart = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                newline()
                atLineStart = true
            } else {
                if atLineStart { spaces(indent) }
                bytes.append(byte)
                atLineStart = false
            }
        }
        // The block ends with its own break when the text does; `newline()` after the scalar then must not add one.
        if analysis.trailingBreak { bytes.removeLast() }
    }

    private mutating func doubleQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func singleQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "'"))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "'") { bytes.append(UInt8(ascii: "'")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "'"))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func spaces(_ count: Int) {
        for _ in 0..<count { bytes.append(UInt8(ascii: " ")) }
    }
}

extension YAMLBlockWriter {
    /// What libyaml's emitter works out about a scalar before choosing its style (`yaml_emitter_analyze_scalar`),
    /// for text of printable ASCII and line feeds; `scan` refuses any other text.
    struct Analysis {
        var lineBreaks = false
        var leadingSpaceOrBreak = false
        var leadingSpace = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false
        var blockIndicators = false
        /// The text is one line break, or ends with two: libyaml writes `|+` and marks the document open-ended.
        var needsKeepChomping = false
        var isEmpty = true

        /// Whether libyaml would write the text plain in block context.
        var blockPlainAllowed: Bool {
            !isEmpty && !leadingSpaceOrBreak && !trailingSpace && !trailingBreak && !breakSpace && !spaceBreak
                && !lineBreaks && !blockIndicators
        }

        /// Whether libyaml allows a literal block.
        var blockAllowed: Bool { !trailingSpace && !spaceBreak }

        mutating func scan(_ utf8: String.UTF8View) -> Bool {
            var previous: UInt8 = 0
            var position = 0
            var last = utf8.count - 1
            if last >= 2 {
                var iterator = utf8.makeIterator()
                let (a, b, c) = (iterator.next()!, iterator.next()!, iterator.next()!)
                if (a == UInt8(ascii: "-") || a == UInt8(ascii: ".")) && a == b && b == c { blockIndicators = true }
            }
            isEmpty = last < 0
            last = max(last, 0)
            var iterator = utf8.makeIterator()
            var current = iterator.next()
            while let byte = current {
                guard (0x20...0x7E).contains(byte) || byte == 0x0A else { return false }
                let next = iterator.next()
                let followedByBlank = next == nil || next == UInt8(ascii: " ") || next == 0x0A
                if position == 0 {
                    switch byte {
                    case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                        UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                        UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                        UInt8(ascii: "`"):
                        blockIndicators = true
                    case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                        if followedByBlank { blockIndicators = true }
                    default: break
                    }
                } else if byte == UInt8(ascii: ":") {
                    if followedByBlank { blockIndicators = true }
                } else if byte == UInt8(ascii: "#") {
                    if previous == UInt8(ascii: " ") || previous == 0x0A { blockIndicators = true }
                }
                if byte == UInt8(ascii: " ") {
                    if position == 0 { leadingSpace = true; leadingSpaceOrBreak = true }
                    if position == last { trailingSpace = true }
                    if position > 0 && previous == 0x0A { breakSpace = true }
                } else if byte == 0x0A {
                    lineBreaks = true
                    if position == 0 { leadingSpaceOrBreak = true }
                    if position == last {
                        trailingBreak = true
                        if position == 0 || previous == 0x0A { needsKeepChomping = true }
                    }
                    if position > 0 && previous == UInt8(ascii: " ") { spaceBreak = true }
                }
                previous = byte
                position += 1
                current = next
            }
            return true
        }
    }
}

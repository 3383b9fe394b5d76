import MeshCore

/// The Sprig functions (Helm's template library) that Istio's injection templates use, with Sprig's argument
/// order and emptiness rules (`default "x" ""` is `x`; `quote` skips nil; `trunc` takes the count first).
enum SprigFunctions {
    static let table: [String: TemplateFunction] = [
        "default": { args throws(TemplateFunctionError) in
            guard let fallback = args.first else { throw TemplateFunctionError("default needs a value") }
            guard args.count > 1 else { return fallback }
            return isEmpty(args[1]) ? fallback : args[1]
        },
        "empty": { args in .bool(args.first.map(isEmpty) ?? true) },
        "coalesce": { args in args.first { !isEmpty($0) } ?? .null },
        "ternary": { args throws(TemplateFunctionError) in
            try need(args, 3, "ternary")
            return GoTruth.isTrue(args[2]) ? args[0] : args[1]
        },
        "quote": { args in
            .string(args.filter { !$0.isNull }.map { GoFormat.quote(string($0)) }.joined(separator: " "))
        },
        "squote": { args in
            .string(args.filter { !$0.isNull }.map { "'" + string($0) + "'" }.joined(separator: " "))
        },
        "toString": { args in .string(args.first.map(string) ?? "") },
        "contains": { args throws(TemplateFunctionError) in
            try need(args, 2, "contains")
            let needle = string(args[0])
            return .bool(needle.isEmpty || string(args[1]).contains(needle))
        },
        "hasPrefix": { args throws(TemplateFunctionError) in
            try need(args, 2, "hasPrefix")
            return .bool(string(args[1]).hasPrefix(string(args[0])))
        },
        "hasSuffix": { args throws(TemplateFunctionError) in
            try need(args, 2, "hasSuffix")
            return .bool(string(args[1]).hasSuffix(string(args[0])))
        },
        "trimPrefix": { args throws(TemplateFunctionError) in
            try need(args, 2, "trimPrefix")
            let (prefix, text) = (string(args[0]), string(args[1]))
            return .string(text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
        },
        "trimSuffix": { args throws(TemplateFunctionError) in
            try need(args, 2, "trimSuffix")
            let (suffix, text) = (string(args[0]), string(args[1]))
            return .string(text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text)
        },
        "trim": { args in .string(trim(string(args.first ?? .null), cutset: " \t\n\r\u{0B}\u{0C}")) },
        "trimAll": { args throws(TemplateFunctionError) in
            try need(args, 2, "trimAll")
            return .string(trim(string(args[1]), cutset: string(args[0])))
        },
        "trunc": { args throws(TemplateFunctionError) in
            try need(args, 2, "trunc")
            guard let count = args[0].intValue else { throw TemplateFunctionError("trunc needs a number") }
            let text = string(args[1])
            if count < 0 { return .string(text.count + count > 0 ? String(text.suffix(-count)) : text) }
            return .string(text.count > count ? String(text.prefix(count)) : text)
        },
        "upper": { args in .string(string(args.first ?? .null).uppercased()) },
        "lower": { args in .string(string(args.first ?? .null).lowercased()) },
        "toLower": { args in .string(string(args.first ?? .null).lowercased()) },
        "replace": { args throws(TemplateFunctionError) in
            try need(args, 3, "replace")
            return .string(replace(string(args[2]), string(args[0]), with: string(args[1])))
        },
        "split": { args throws(TemplateFunctionError) in
            try need(args, 2, "split")
            let parts = split(string(args[1]), separator: string(args[0]))
            return .object(Value.Object(parts.enumerated().map { ("_\($0.offset)", Value.string($0.element)) }))
        },
        "splitList": { args throws(TemplateFunctionError) in
            try need(args, 2, "splitList")
            return .array(split(string(args[1]), separator: string(args[0])).map(Value.string))
        },
        "join": { args throws(TemplateFunctionError) in
            try need(args, 2, "join")
            let items: [Value] = args[1].arrayValue ?? (args[1].isNull ? [] : [args[1]])
            return .string(items.filter { !$0.isNull }.map(string).joined(separator: string(args[0])))
        },
        "list": { args in .array(args) },
        "append": { args throws(TemplateFunctionError) in
            try need(args, 2, "append")
            guard args[0].isNull || args[0].arrayValue != nil else {
                throw TemplateFunctionError("cannot append to type \(args[0].kindName)")
            }
            return .array((args[0].arrayValue ?? []) + [args[1]])
        },
        "first": { args in args.first?.arrayValue?.first ?? .null },
        "last": { args in args.first?.arrayValue?.last ?? .null },
        "dict": { args in
            var object = Value.Object()
            var index = 0
            while index < args.count {
                object[string(args[index])] = index + 1 < args.count ? args[index + 1] : .string("")
                index += 2
            }
            return .object(object)
        },
        "hasKey": { args throws(TemplateFunctionError) in
            try need(args, 2, "hasKey")
            return .bool(args[0].objectValue?[string(args[1])] != nil)
        },
        "keys": { args in
            .array(args.flatMap { $0.objectValue?.keys ?? [] }.map(Value.string))
        },
        "merge": { args in
            // Sprig's merge: the first mapping wins over the later ones.
            var result = Value.Object()
            for map in args.reversed() {
                for (key, value) in map.objectValue ?? [:] { result[key] = value }
            }
            return .object(result)
        },
        "omit": { args in
            guard var object = args.first?.objectValue else { return .object([:]) }
            for key in args.dropFirst() { object[string(key)] = nil }
            return .object(object)
        },
        "indent": { args throws(TemplateFunctionError) in
            try need(args, 2, "indent")
            return .string(indent(string(args[1]), by: args[0].intValue ?? 0))
        },
        "nindent": { args throws(TemplateFunctionError) in
            try need(args, 2, "nindent")
            return .string("\n" + indent(string(args[1]), by: args[0].intValue ?? 0))
        },
        "toYaml": { args in .string(ManifestYAML.toYaml(args.first ?? .null)) },
        "toJson": { args in .string(JSON.emit(GoNumbers.integers(args.first ?? .null), sortKeys: true)) },
        "toPrettyJson": { args in .string(JSON.emit(GoNumbers.integers(args.first ?? .null), indent: 2, sortKeys: true)) },
        "fromJson": { args in (try? JSON.parse(string(args.first ?? .null))) ?? .object([:]) },
        "int": { args in .int(args.first.flatMap { $0.intValue ?? Int(string($0)) } ?? 0) },
        "atoi": { args in .int(Int(string(args.first ?? .null)) ?? 0) },
        "base": { args in .string(PathText.base(string(args.first ?? .null))) },
        "dir": { args in .string(PathText.directory(string(args.first ?? .null))) },
    ]

    static func need(_ args: [Value], _ count: Int, _ name: String) throws(TemplateFunctionError) {
        guard args.count == count else {
            throw TemplateFunctionError("wrong number of args for \(name): want \(count) got \(args.count)")
        }
    }

    /// Sprig's `empty`: nil, false, 0, "" and empty collections.
    static func isEmpty(_ value: Value) -> Bool {
        !GoTruth.isTrue(value)
    }

    /// Sprig's `strval`: strings as they are, nil as "", anything else as `%v`.
    static func string(_ value: Value) -> String {
        switch value {
        case .string(let string): string
        case .null: ""
        default: GoFormat.value(value)
        }
    }

    static func indent(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: max(0, spaces))
        return pad + replace(text, "\n", with: "\n" + pad)
    }

    /// `strings.ReplaceAll`, without Foundation.
    static func replace(_ text: String, _ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return text }
        return split(text, separator: target).joined(separator: replacement)
    }

    /// `strings.Split`: an empty separator splits into characters; no match gives the whole string.
    static func split(_ text: String, separator: String) -> [String] {
        guard !separator.isEmpty else { return text.map { String($0) } }
        var parts: [String] = []
        var current = text[...]
        while let range = current.firstRange(of: separator) {
            parts.append(String(current[..<range.lowerBound]))
            current = current[range.upperBound...]
        }
        parts.append(String(current))
        return parts
    }

    /// `strings.Trim`: removes leading and trailing characters found in `cutset`.
    static func trim(_ text: String, cutset: String) -> String {
        let set = Set(cutset.unicodeScalars)
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}

/// `path/filepath`'s `Base` and `Dir` on slash-separated paths.
enum PathText {
    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }

    static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        if head.isEmpty { return "/" }
        return head
    }
}

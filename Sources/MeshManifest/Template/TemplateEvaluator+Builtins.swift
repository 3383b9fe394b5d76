import MeshCore

extension TemplateEvaluator {
    /// Calls a built-in or registered function. `and`/`or` evaluate their arguments lazily, as Go does since 1.18.
    mutating func call(
        _ name: String, arguments: [TemplateOperand], dot: Value, final: Value?
    ) throws(MeshManifestError) -> Value {
        if name == "and" || name == "or" {
            var last: Value = .null
            let count = arguments.count + (final == nil ? 0 : 1)
            guard count >= 1 else { throw error("wrong number of args for \(name): want at least 1 got 0") }
            for index in 0..<count {
                last = index < arguments.count ? try evaluate(arguments[index], dot: dot) : final ?? .null
                let truth = GoTruth.isTrue(last)
                if name == "and" && !truth { return last }
                if name == "or" && truth { return last }
            }
            return last
        }
        var values: [Value] = []
        values.reserveCapacity(arguments.count + 1)
        for argument in arguments { values.append(try evaluate(argument, dot: dot)) }
        if let final { values.append(final) }
        do throws(TemplateFunctionError) {
            if let builtin = try Self.builtin(name, values) { return builtin }
            guard let function = template.functions.table[name] else {
                throw TemplateFunctionError("function \"\(name)\" not defined")
            }
            return try function(values)
        } catch {
            throw self.error("error calling \(name): \(error.message)")
        }
    }

    /// Go's built-in functions; `nil` when `name` is not one of them.
    static func builtin(_ name: String, _ args: [Value]) throws(TemplateFunctionError) -> Value? {
        func need(_ count: Int) throws(TemplateFunctionError) {
            guard args.count == count else {
                throw TemplateFunctionError("wrong number of args for \(name): want \(count) got \(args.count)")
            }
        }
        switch name {
        case "not":
            try need(1)
            return .bool(!GoTruth.isTrue(args[0]))
        case "len":
            try need(1)
            switch args[0] {
            case .string(let string): return .int(string.utf8.count)
            case .array(let items): return .int(items.count)
            case .object(let object): return .int(object.count)
            case .null: return .int(0)
            default: throw TemplateFunctionError("len of type \(args[0].kindName)")
            }
        case "index":
            guard var value = args.first else { throw TemplateFunctionError("wrong number of args for index") }
            for key in args.dropFirst() {
                switch (value, key) {
                case (.object(let object), .string(let name)): value = object[name] ?? .null
                case (.object, _): value = .null
                case (.array(let items), _):
                    guard let index = key.intValue else { throw TemplateFunctionError("cannot index slice with \(key.kindName)") }
                    guard items.indices.contains(index) else {
                        throw TemplateFunctionError("index out of range: \(index)")
                    }
                    value = items[index]
                case (.null, _): value = .null
                default: throw TemplateFunctionError("can't index item of type \(value.kindName)")
                }
            }
            return value
        case "slice":
            guard let value = args.first else { throw TemplateFunctionError("wrong number of args for slice") }
            let bounds = args.dropFirst().compactMap(\.intValue)
            switch value {
            case .array(let items):
                let low = bounds.first ?? 0
                let high = bounds.count > 1 ? bounds[1] : items.count
                guard low >= 0, low <= high, high <= items.count else { throw TemplateFunctionError("index out of range") }
                return .array(Array(items[low..<high]))
            case .string(let string):
                let bytes = Array(string.utf8)
                let low = bounds.first ?? 0
                let high = bounds.count > 1 ? bounds[1] : bytes.count
                guard low >= 0, low <= high, high <= bytes.count else { throw TemplateFunctionError("index out of range") }
                return .string(String(decoding: bytes[low..<high], as: UTF8.self))
            default: throw TemplateFunctionError("can't slice item of type \(value.kindName)")
            }
        case "print":
            return .string(GoFormat.sprint(args))
        case "println":
            return .string(args.map { GoFormat.value($0) }.joined(separator: " ") + "\n")
        case "printf":
            guard case .string(let format)? = args.first else {
                throw TemplateFunctionError("printf needs a format string")
            }
            return .string(GoFormat.sprintf(format, Array(args.dropFirst())))
        case "eq":
            guard args.count >= 2 else { throw TemplateFunctionError("missing argument for comparison") }
            for other in args.dropFirst() where try GoTruth.equal(args[0], other) { return .bool(true) }
            return .bool(false)
        case "ne":
            try need(2)
            return .bool(!(try GoTruth.equal(args[0], args[1])))
        case "lt", "le", "gt", "ge":
            try need(2)
            let order = try GoTruth.compare(args[0], args[1])
            switch name {
            case "lt": return .bool(order < 0)
            case "le": return .bool(order <= 0)
            case "gt": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "html", "js", "urlquery", "call":
            throw TemplateFunctionError("\(name) is not supported")
        default:
            return nil
        }
    }
}

/// Go's notion of truth and comparison for template values.
enum GoTruth {
    /// Go's `template.IsTrue`: false, 0, nil and empty strings, slices and maps are false.
    static func isTrue(_ value: Value) -> Bool {
        switch value {
        case .null: false
        case .bool(let bool): bool
        case .int(let int): int != 0
        case .double(let double): double != 0
        case .string(let string): !string.isEmpty
        case .array(let items): !items.isEmpty
        case .object(let object): !object.isEmpty
        }
    }

    /// `eq` for two values: basic kinds compare by value (integers and floats numerically); nil equals only nil
    /// or the other side's zero value (a missing field of a Go struct is its zero value); other mixes fail.
    static func equal(_ lhs: Value, _ rhs: Value) throws(TemplateFunctionError) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.null, let other), (let other, .null): return isZero(other)
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return lhs.doubleValue == rhs.doubleValue
        case (.array, _), (.object, _), (_, .array), (_, .object):
            throw TemplateFunctionError("non-comparable type")
        default:
            throw TemplateFunctionError("incompatible types for comparison")
        }
    }

    private static func isZero(_ value: Value) -> Bool {
        switch value {
        case .string(let string): string.isEmpty
        case .int(let int): int == 0
        case .double(let double): double == 0
        case .bool(let bool): !bool
        default: false
        }
    }

    /// Ordering for `lt`/`le`/`gt`/`ge`: numbers and strings only.
    static func compare(_ lhs: Value, _ rhs: Value) throws(TemplateFunctionError) -> Int {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.string(let a), .string(let b)): return GoFormat.goLess(a, b) ? -1 : a == b ? 0 : 1
        default:
            guard let a = lhs.doubleValue, let b = rhs.doubleValue else {
                throw TemplateFunctionError("incompatible types for comparison")
            }
            return a < b ? -1 : a == b ? 0 : 1
        }
    }
}

/// Go struct field names to their JSON spelling: `ServiceAccountName` → `serviceAccountName`,
/// `APIVersion` → `apiVersion`, `UID` → `uid`.
enum GoFieldName {
    static func jsonName(_ name: String) -> String {
        if let ascii = asciiJSONName(name) { return ascii }
        let characters = Array(name)
        var upperRun = 0
        while upperRun < characters.count && characters[upperRun].isUppercase { upperRun += 1 }
        if upperRun == 0 { return name }
        if upperRun == characters.count { return name.lowercased() }
        let lowered = upperRun == 1 ? 1 : upperRun - 1
        return String(characters[..<lowered]).lowercased() + String(characters[lowered...])
    }

    /// `jsonName` for an ASCII name, on bytes; `nil` for other names.
    private static func asciiJSONName(_ name: String) -> String? {
        let utf8 = name.utf8
        guard let first = utf8.first, first < 0x80 else { return nil }
        if !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
            return utf8.allSatisfy { $0 < 0x80 } ? name : nil
        }
        var bytes = Array(utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var upperRun = 0
        while upperRun < bytes.count, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[upperRun]) { upperRun += 1 }
        let lowered = upperRun == bytes.count ? upperRun : (upperRun == 1 ? 1 : upperRun - 1)
        for position in 0..<lowered { bytes[position] |= 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }
}

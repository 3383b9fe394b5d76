import MeshCore

extension GoFormat {
    /// Go's `Sprintf` for the verbs templates use: `%v %s %d %t %q %f %g %e %x %X %o %b %c %%`, with flags
    /// (`-+ 0#`), width and precision. A bad verb or a missing operand prints as Go prints it (`%!d(string=x)`,
    /// `%!s(MISSING)`).
    static func sprintf(_ format: String, _ args: [Value]) -> String {
        var output = ""
        var argIndex = 0
        var characters = format[...]
        while let percent = characters.firstIndex(of: "%") {
            output += characters[..<percent]
            characters = characters[characters.index(after: percent)...]
            var flags = Set<Character>()
            while let first = characters.first, "-+ 0#".contains(first) {
                flags.insert(first)
                characters = characters.dropFirst()
            }
            var width: Int?
            while let first = characters.first, let digit = first.wholeNumberValue {
                width = (width ?? 0) * 10 + digit
                characters = characters.dropFirst()
            }
            var precision: Int?
            if characters.first == "." {
                characters = characters.dropFirst()
                precision = 0
                while let first = characters.first, let digit = first.wholeNumberValue {
                    precision = (precision ?? 0) * 10 + digit
                    characters = characters.dropFirst()
                }
            }
            guard let verb = characters.first else {
                output += "%!(NOVERB)"
                break
            }
            characters = characters.dropFirst()
            if verb == "%" {
                output += "%"
                continue
            }
            guard argIndex < args.count else {
                output += "%!\(verb)(MISSING)"
                continue
            }
            let arg = args[argIndex]
            argIndex += 1
            let text = formatOne(verb, arg, flags: flags, precision: precision)
            output += pad(text, width: width, flags: flags, numeric: arg.doubleValue != nil)
        }
        output += characters
        if argIndex < args.count {
            output += "%!(EXTRA " + args[argIndex...].map { "\(goType($0))=\(value($0))" }.joined(separator: ", ") + ")"
        }
        return output
    }

    private static func goType(_ value: Value) -> String {
        switch value {
        case .null: "<nil>"
        case .bool: "bool"
        case .int: "int"
        case .double: "float64"
        case .string: "string"
        case .array: "[]interface {}"
        case .object: "map[string]interface {}"
        }
    }

    private static func bad(_ verb: Character, _ value: Value) -> String {
        if case .null = value { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(goType(value))=\(self.value(value)))"
    }

    private static func formatOne(_ verb: Character, _ arg: Value, flags: Set<Character>, precision: Int?) -> String {
        switch verb {
        case "v":
            return value(arg)
        case "s":
            if case .string(let string) = arg {
                return precision.map { String(string.prefix($0)) } ?? string
            }
            if case .null = arg { return "%!s(<nil>)" }
            if case .int = arg { return bad(verb, arg) }
            if case .bool = arg { return bad(verb, arg) }
            return value(arg)
        case "q":
            guard case .string(let string) = arg else { return bad(verb, arg) }
            return quote(string)
        case "t":
            guard case .bool(let bool) = arg else { return bad(verb, arg) }
            return bool ? "true" : "false"
        case "d", "x", "X", "o", "b", "c":
            guard case .int(let int) = arg else {
                if verb == "x" || verb == "X", case .string(let string) = arg {
                    let hex = string.utf8.map { byte in
                        let digits = String(byte, radix: 16, uppercase: verb == "X")
                        return digits.count == 1 ? "0" + digits : digits
                    }
                    return hex.joined()
                }
                return bad(verb, arg)
            }
            let radix = verb == "d" ? 10 : verb == "o" ? 8 : verb == "b" ? 2 : 16
            if verb == "c" { return Unicode.Scalar(UInt32(clamping: int)).map { String(Character($0)) } ?? "\u{FFFD}" }
            var text = String(int.magnitude, radix: radix, uppercase: verb == "X")
            if flags.contains("#") && radix == 16 { text = (verb == "X" ? "0X" : "0x") + text }
            if int < 0 { text = "-" + text } else if flags.contains("+") { text = "+" + text }
            return text
        case "f", "F", "e", "g":
            guard let double = arg.doubleValue else { return bad(verb, arg) }
            let text: String
            if verb == "g" && precision == nil {
                text = float(double)
            } else if verb == "e" {
                text = exponential(double, precision: precision ?? 6)
            } else {
                text = fixed(double, precision: precision ?? 6)
            }
            return flags.contains("+") && double >= 0 ? "+" + text : text
        default:
            return "%!\(verb)(\(goType(arg))=\(value(arg)))"
        }
    }

    private static func pad(_ text: String, width: Int?, flags: Set<Character>, numeric: Bool) -> String {
        guard let width, text.count < width else { return text }
        let padding = width - text.count
        if flags.contains("-") { return text + String(repeating: " ", count: padding) }
        if flags.contains("0") && numeric {
            if text.hasPrefix("-") || text.hasPrefix("+") {
                return String(text.first!) + String(repeating: "0", count: padding) + text.dropFirst()
            }
            return String(repeating: "0", count: padding) + text
        }
        return String(repeating: " ", count: padding) + text
    }

    /// `%.Nf`: fixed notation rounded to `precision` decimals (half to even on the exact binary value, as Go).
    static func fixed(_ double: Double, precision: Int) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Inf" : "+Inf" }
        let negative = double < 0
        let (digits, point) = decompose(double.magnitude)
        var all = Array(digits).map { Int($0.asciiValue! - 48) }
        var decimalPoint = point
        if double == 0 { all = [0]; decimalPoint = 1 }
        if decimalPoint <= 0 {
            all = Array(repeating: 0, count: -decimalPoint + 1) + all
            decimalPoint = 1
        }
        let keep = decimalPoint + precision
        if all.count > keep {
            let roundUp = all[keep] > 5 || (all[keep] == 5 && (all.count > keep + 1 || (keep > 0 && all[keep - 1] % 2 == 1)))
            all = Array(all[..<keep])
            if roundUp {
                var index = keep - 1
                while index >= 0 {
                    if all[index] == 9 { all[index] = 0; index -= 1 } else { all[index] += 1; break }
                }
                if index < 0 { all.insert(1, at: 0); decimalPoint += 1 }
            }
        } else {
            all += Array(repeating: 0, count: keep - all.count)
        }
        var text = all[..<decimalPoint].map(String.init).joined()
        if precision > 0 { text += "." + all[decimalPoint...].map(String.init).joined() }
        return (negative ? "-" : "") + text
    }

    private static func exponential(_ double: Double, precision: Int) -> String {
        if double == 0 { return fixed(0, precision: precision) + "e+00" }
        let (_, point) = decompose(double.magnitude)
        var exponent = point - 1
        var mantissa = fixed(double / pow10(exponent), precision: precision)
        if mantissa.hasPrefix("10") || mantissa.hasPrefix("-10") {
            exponent += 1
            mantissa = fixed(double / pow10(exponent), precision: precision)
        }
        let magnitude = abs(exponent)
        return mantissa + (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }

    /// Go's `strconv.Quote`: double quotes with Go escapes; printable Unicode kept as is.
    static func quote(_ string: String) -> String {
        var text = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case "\u{07}": text += "\\a"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\u{0B}": text += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\x" + (hex.count == 1 ? "0" : "") + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}

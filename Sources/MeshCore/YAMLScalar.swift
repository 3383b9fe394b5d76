/// How plain YAML scalars resolve to types, following go-yaml v2 (which Kubernetes' `sigs.k8s.io/yaml` uses):
/// the YAML 1.1 booleans (`yes`, `on`, `y`, …), `~` and empty as null, Go's integer syntax (`0x`, `0o`, `0b`,
/// leading-zero octal, `_` separators), go-yaml's float pattern, and timestamps (which stay strings).
///
/// The emitter asks the same question the other way round: a string that would resolve to anything but a string
/// must be quoted.
enum YAMLScalar {
    /// The type a plain scalar resolves to.
    enum Kind: Equatable {
        case null, bool, int, float, string, timestamp, merge
    }

    /// The resolved value and kind of a plain scalar. Timestamps resolve to their text, as go-yaml does when
    /// decoding into an untyped value.
    static func resolve(_ text: String) -> (kind: Kind, value: Value) {
        guard let first = text.utf8.first else { return (.null, .null) }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"):
            return keyword(text) ?? (.string, .string(text))
        case UInt8(ascii: "."):
            if let special = keyword(text) { return special }
            if matchesDotFloat(text), let double = Double(text), double.isFinite { return (.float, .double(double)) }
            return (.string, .string(text))
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let special = keyword(text) { return special }
            if isTimestamp(text) { return (.timestamp, .string(text)) }
            let plain = String(text.filter { $0 != "_" })
            if let int = parseGoInt(plain) { return (.int, int) }
            if matchesYAMLFloat(plain), let double = Double(plain), double.isFinite {
                return (.float, .double(double))
            }
            return (.string, .string(text))
        case UInt8(ascii: "<"):
            return text == "<<" ? (.merge, .string(text)) : (.string, .string(text))
        default:
            return (.string, .string(text))
        }
    }

    /// Whether the emitter must quote `text` so it reads back as the same string.
    static func needsQuotes(_ text: String) -> Bool {
        // Text starting with any other byte resolves to a string and is no base-60 number.
        guard let first = text.utf8.first else { return true }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "<"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            break
        default:
            return false
        }
        return resolve(text).kind != .string || isBase60Float(text)
    }

    private static func keyword(_ text: String) -> (Kind, Value)? {
        guard text.utf8.count <= 6 else { return nil }  // the longest keywords have five bytes (`false`, `+.inf`)
        return switch text {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": (.bool, .bool(true))
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": (.bool, .bool(false))
        case "~", "null", "Null", "NULL": (.null, .null)
        case ".nan", ".NaN", ".NAN": (.float, .double(.nan))
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": (.float, .double(.infinity))
        case "-.inf", "-.Inf", "-.INF": (.float, .double(-.infinity))
        default: nil
        }
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint` (as a double, the nearest Value can hold).
    static func parseGoInt(_ text: String) -> Value? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        var signed = false
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            signed = true
            bytes = bytes.dropFirst()
        }
        var base: UInt64 = 10
        if bytes.count >= 2, bytes.first == UInt8(ascii: "0") {
            let marker = bytes[bytes.index(after: bytes.startIndex)] | 0x20
            switch marker {
            case UInt8(ascii: "x"): base = 16; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "o"): base = 8; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "b"): base = 2; bytes = bytes.dropFirst(2)
            default: base = 8; bytes = bytes.dropFirst()
            }
        }
        guard !bytes.isEmpty else { return nil }
        var magnitude: UInt64 = 0
        for byte in bytes {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < base else { return nil }
            let (times, o1) = magnitude.multipliedReportingOverflow(by: base)
            let (sum, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            magnitude = sum
        }
        if !negative, magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
        if negative, magnitude <= UInt64(Int.max) + 1 { return .int(Int(truncatingIfNeeded: 0 &- magnitude)) }
        if !signed { return .double(Double(magnitude)) }  // ParseUint accepts no sign
        return nil
    }

    /// go-yaml's float pattern `^[-+]?[0-9]*\.?[0-9]+([eE][-+][0-9]+)?$` (the exponent needs its sign).
    static func matchesYAMLFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa = bytes
        if let e = bytes.firstIndex(where: { $0 | 0x20 == UInt8(ascii: "e") }) {
            mantissa = bytes[..<e]
            let exponent = bytes[(e + 1)...]
            guard let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return false }
            let digits = exponent.dropFirst()
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return false }
        }
        // [0-9]*\.?[0-9]+ : digits, at most one point, and at least one digit after the point if there is one.
        guard let last = mantissa.last, isDigit(last) else { return false }
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return false }
                seenPoint = true
            } else if !isDigit(byte) {
                return false
            }
        }
        return true
    }

    /// What Go's `ParseFloat` accepts for text starting with a point: `.5`, `.5e3`, `.5E-3`.
    private static func matchesDotFloat(_ text: String) -> Bool {
        let bytes = Array(text.utf8).dropFirst()
        var digits = bytes.prefix(while: isDigit)
        guard !digits.isEmpty else { return false }
        var rest = bytes.dropFirst(digits.count)
        guard let e = rest.first else { return true }
        guard e | 0x20 == UInt8(ascii: "e") else { return false }
        rest = rest.dropFirst()
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
        digits = rest.prefix(while: isDigit)
        return !digits.isEmpty && digits.count == rest.count
    }

    /// The YAML 1.1 base-60 look-alikes (`1:20`, `-1:30:00.5`) that go-yaml quotes on output.
    static func isBase60Float(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, isDigit(first), bytes.contains(UInt8(ascii: ":")) else { return false }
        var parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        guard parts[0].allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return false }
        var last = parts.removeLast()
        if let point = last.firstIndex(of: UInt8(ascii: ".")) {
            guard last[(point + 1)...].allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return false }
            last = last[..<point]
        }
        parts.append(last)
        for part in parts.dropFirst() {
            // [0-5]?[0-9]
            switch part.count {
            case 1: guard isDigit(part[part.startIndex]) else { return false }
            case 2:
                let tens = part[part.startIndex]
                guard tens >= UInt8(ascii: "0"), tens <= UInt8(ascii: "5"), isDigit(part[part.startIndex + 1]) else {
                    return false
                }
            default: return false
            }
        }
        return true
    }

    /// go-yaml's timestamp forms: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00` (also `t`), and
    /// `2006-1-2 15:4:5.999999999` without a zone.
    static func isTimestamp(_ text: String) -> Bool {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(min: 4, max: 4), year >= 0, reader.take(UInt8(ascii: "-")),
            let month = reader.number(min: 1, max: 2), (1...12).contains(month), reader.take(UInt8(ascii: "-")),
            let day = reader.number(min: 1, max: 2), (1...daysIn(month: month, year: year)).contains(day)
        else { return false }
        if reader.atEnd { return true }
        let separator = reader.next()
        let zoned = separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
        guard zoned || separator == UInt8(ascii: " ") else { return false }
        guard let hour = reader.number(min: 1, max: 2), hour < 24, reader.take(UInt8(ascii: ":")),
            let minute = reader.number(min: 1, max: 2), minute < 60, reader.take(UInt8(ascii: ":")),
            let second = reader.number(min: 1, max: 2), second < 60
        else { return false }
        if reader.take(UInt8(ascii: ".")) {
            guard reader.number(min: 1, max: 9) != nil else { return false }
        }
        if !zoned { return reader.atEnd }
        if reader.take(UInt8(ascii: "Z")) { return reader.atEnd }
        guard reader.take(UInt8(ascii: "+")) || reader.take(UInt8(ascii: "-")),
            let zoneHour = reader.number(min: 2, max: 2), zoneHour < 24, reader.take(UInt8(ascii: ":")),
            let zoneMinute = reader.number(min: 2, max: 2), zoneMinute < 60
        else { return false }
        return reader.atEnd
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    @Sendable static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private struct DigitReader {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { index == bytes.count }

        mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func number(min: Int, max: Int) -> Int? {
            var value = 0
            var count = 0
            while count < max, index < bytes.count, YAMLScalar.isDigit(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                count += 1
            }
            return count >= min ? value : nil
        }
    }
}

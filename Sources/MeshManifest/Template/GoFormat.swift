import MeshCore

/// Go's `fmt` for template values: how actions print, `print`/`printf`, and map key order.
enum GoFormat {
    /// How an action prints its value: `%v`, except that a missing value prints `<no value>`.
    static func print(_ value: Value) -> String {
        if case .null = value { return "<no value>" }
        return self.value(value)
    }

    /// `%v`.
    static func value(_ value: Value) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let bool): return bool ? "true" : "false"
        case .int(let int): return String(int)
        case .double(let double): return float(double)
        case .string(let string): return string
        case .array(let items): return "[" + items.map { self.value($0) }.joined(separator: " ") + "]"
        case .object(let object):
            let pairs = object.keys.sorted(by: goLess).map { "\($0):\(self.value(object[$0] ?? .null))" }
            return "map[" + pairs.joined(separator: " ") + "]"
        }
    }

    /// Go's `Sprint`: spaces between operands when neither side is a string.
    static func sprint(_ values: [Value]) -> String {
        var text = ""
        var previousWasString = true
        for (index, value) in values.enumerated() {
            let isString = value.stringValue != nil
            if index > 0 && !isString && !previousWasString { text += " " }
            text += self.value(value)
            previousWasString = isString
        }
        return text
    }

    /// Byte-wise string order, as Go sorts map keys.
    static func goLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)`, which `%v` uses: shortest round-trip digits, `e` notation when the
    /// decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-05`), as Go decides for shortest precision.
    static func float(_ double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Inf" : "+Inf" }
        if double == 0 { return double.sign == .minus ? "-0" : "0" }
        let (digits, point) = decompose(double.magnitude)
        let sign = double < 0 ? "-" : ""
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            var text = sign + String(digits.first ?? "0")
            if digits.count > 1 { text += "." + String(digits.dropFirst()) }
            let magnitude = abs(exponent)
            text += (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
            return text
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let index = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<index] + "." + digits[index...]
    }

    /// The shortest round-trip decimal digits of a positive double and the decimal point position
    /// (value = 0.digits × 10^point).
    static func decompose(_ magnitude: Double) -> (String, Int) {
        let text = "\(magnitude)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fraction: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + String(fraction)
        var point = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}

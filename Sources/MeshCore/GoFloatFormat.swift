/// Formats doubles the way Go's `strconv.FormatFloat(f, fmt, -1, 64)` does, so meshctl's JSON and YAML output
/// matches what kubectl prints byte for byte.
///
/// The shortest round-trip digits come from Swift's own `description` (also shortest round-trip); only the layout
/// (`f` or `e` notation, exponent sign and width) follows Go.
enum GoFloatFormat {
    /// The decimal digits of a finite, non-negative double and the position of its decimal point:
    /// value = 0.d₁d₂… × 10^`point`. Zero has no digits.
    struct Decimal {
        var digits: [UInt8]
        var point: Int
    }

    /// Go's encoding/json float layout: `f` notation for magnitudes in [1e-6, 1e21), `e` otherwise, with a
    /// negative exponent written without a leading zero (`1e-7`, but `1e+21`).
    static func json(_ value: Double) -> String {
        let magnitude = value.magnitude
        let useExponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
        var text = format(value, exponent: useExponent)
        if useExponent {
            // Go trims "e-07" to "e-7" for JSON (as ECMAScript does).
            var bytes = Array(text.utf8)
            let count = bytes.count
            if count >= 4, bytes[count - 4] == UInt8(ascii: "e"), bytes[count - 3] == UInt8(ascii: "-"),
                bytes[count - 2] == UInt8(ascii: "0")
            {
                bytes.remove(at: count - 2)
                text = String(decoding: bytes, as: UTF8.self)
            }
        }
        return text
    }

    /// Go's `%g` with shortest precision (go-yaml's float layout): `e` notation when the decimal exponent is
    /// below -4 or at least 6 (`1e+06`, `1.5e-05`), `f` otherwise; infinities and NaN as YAML's `.inf`/`.nan`.
    static func yaml(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let decimal = decompose(value.magnitude)
        let exponent = decimal.point - 1
        let useExponent = !decimal.digits.isEmpty && (exponent < -4 || exponent >= 6)
        return format(value, exponent: useExponent)
    }

    /// Lays out `value` in Go's `f` or `e` notation with the shortest digits.
    static func format(_ value: Double, exponent useExponent: Bool) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "+Inf") }
        let decimal = decompose(value.magnitude)
        var out: [UInt8] = []
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        let digits = decimal.digits
        let zero = UInt8(ascii: "0")
        if useExponent && !digits.isEmpty {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            var exponent = decimal.point - 1
            out.append(UInt8(ascii: "e"))
            out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            exponent = abs(exponent)
            if exponent < 10 { out.append(zero) }
            out.append(contentsOf: String(exponent).utf8)
        } else if digits.isEmpty {
            out.append(zero)
        } else if decimal.point <= 0 {
            out.append(zero)
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(zero, count: -decimal.point))
            out.append(contentsOf: digits)
        } else if decimal.point >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(zero, count: decimal.point - digits.count))
        } else {
            out.append(contentsOf: digits[..<decimal.point])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[decimal.point...])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits Swift's shortest round-trip description (`123.456`, `1e-07`, `1.5e+300`) into digits and point.
    static func decompose(_ magnitude: Double) -> Decimal {
        var mantissa: Substring.UTF8View
        var exponent = 0
        let text = magnitude.description
        if let e = text.utf8.firstIndex(of: UInt8(ascii: "e")) {
            mantissa = text[..<e].utf8
            var sign = 1
            var rest = text[text.index(after: e)...].utf8.dropFirst(0)
            if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                if first == UInt8(ascii: "-") { sign = -1 }
                rest = rest.dropFirst()
            }
            for byte in rest { exponent = exponent * 10 + Int(byte &- UInt8(ascii: "0")) }
            exponent *= sign
        } else {
            mantissa = text[...].utf8
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var integerDigits = 0
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(byte)
                if !seenPoint { integerDigits += 1 }
            }
        }
        var point = integerDigits + exponent
        var leading = 0
        while leading < digits.count, digits[leading] == UInt8(ascii: "0") { leading += 1 }
        point -= leading
        digits.removeFirst(leading)
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { point = 0 }
        return Decimal(digits: digits, point: point)
    }
}

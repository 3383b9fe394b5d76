import MeshCore

/// Kubernetes resource quantities in canonical form, as `resource.Quantity` prints them after a round trip:
/// `2000m` → `2`, `1024Mi` → `1Gi`, `0.5` → `500m`, `1000` → `1k`. Text that is not a quantity is returned as is.
enum Quantity {
    static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]
    static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

    static func canonical(_ value: Value) -> Value {
        switch value {
        case .int(let int): return .string(canonical(String(int)) ?? String(int))
        case .double(let double): return .string(canonical(GoFormat.float(double)) ?? GoFormat.float(double))
        case .string(let text): return .string(canonical(text) ?? text)
        default: return value
        }
    }

    /// The canonical text of a quantity, or `nil` when `text` is not one (or too large to handle exactly).
    static func canonical(_ text: String) -> String? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let numberEnd = body.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? body.endIndex
        let number = body[..<numberEnd]
        let suffix = String(body[numberEnd...])
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != "." else { return nil }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.joined()
        guard digits.count <= 18, var mantissa = Int(digits) else { return nil }
        var scale = -(parts.count > 1 ? parts[1].count : 0)
        if let binary = binarySuffixes.firstIndex(of: suffix), !suffix.isEmpty {
            for _ in 0..<binary {
                let (product, overflow) = mantissa.multipliedReportingOverflow(by: 1024)
                guard !overflow else { return nil }
                mantissa = product
            }
            // Whole and at least 1024: stays binary.
            if scale < 0 {
                var divisor = 1
                for _ in 0 ..< -scale { divisor *= 10 }
                if mantissa % divisor == 0 {
                    mantissa /= divisor
                    scale = 0
                }
            }
            if scale == 0 && mantissa >= 1024 {
                var power = 0
                while power < 6 && mantissa % 1024 == 0 && mantissa / 1024 >= 1 {
                    mantissa /= 1024
                    power += 1
                }
                return (negative ? "-" : "") + String(mantissa) + binarySuffixes[power]
            }
        } else if let exponent = decimalSuffixes[suffix] {
            scale += exponent
        } else if suffix.hasPrefix("e") || suffix.hasPrefix("E"), let exponent = Int(suffix.dropFirst()) {
            scale += exponent
        } else {
            return nil
        }
        if mantissa == 0 { return "0" }
        while mantissa % 10 == 0 {
            mantissa /= 10
            scale += 1
        }
        if scale < -9 {
            // Round up to nano units, as Kubernetes does.
            var divisor = 1
            for _ in 0 ..< (-9 - scale) { divisor *= 10 }
            mantissa = (mantissa + divisor - 1) / divisor
            scale = -9
        }
        var exponent = scale >= 0 ? min(18, scale / 3 * 3) : -((-scale + 2) / 3 * 3)
        if exponent < -9 { exponent = -9 }
        for _ in 0..<(scale - exponent) {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            mantissa = product
        }
        let unit = decimalSuffixes.first { $0.value == exponent }?.key ?? ""
        return (negative ? "-" : "") + String(mantissa) + unit
    }
}

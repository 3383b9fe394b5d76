/// A duration written the way Go, Kubernetes and Istio write them: `30s`, `1m30s`, `1.5h`, `300ms`.
///
/// Kubernetes flags such as `--request-timeout` also take a bare number of seconds; `parse` accepts that too.
public struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in nanoseconds.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static func seconds(_ seconds: Int64) -> GoDuration {
        GoDuration(nanoseconds: seconds * 1_000_000_000)
    }

    public static let zero = GoDuration(nanoseconds: 0)

    /// The length in seconds, as a floating-point number.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The length as a Swift `Duration`.
    public var duration: Duration { .nanoseconds(nanoseconds) }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// Parses `1h2m3.5s`, `-300ms`, `0`, or a bare number of seconds (`30`).
    public static func parse(_ text: String) throws(MeshCoreError) -> GoDuration {
        let invalid = MeshCoreError(.invalidValue, "invalid duration \"\(text)\": use a number with a unit, such as 30s, 5m or 1h30m")
        var rest = Substring(text)
        var sign: Double = 1
        if rest.first == "-" || rest.first == "+" {
            sign = rest.first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest.isEmpty { throw invalid }
        if rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber), let whole = Int64(rest) {
            let (product, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
            if overflow { throw invalid }
            return GoDuration(nanoseconds: sign < 0 ? -product : product)
        }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1, let amount = Double(number)
            else { throw invalid }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { throw invalid }
            rest = rest.dropFirst(unitText.count)
            total += amount * unit.1
        }
        guard total <= Double(Int64.max) else { throw invalid }
        return GoDuration(nanoseconds: Int64((sign * total).rounded()))
    }

    /// The duration as Go prints it: `1h2m3s`, `1.5s`, `300ms`, `0s`.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            let (unit, scale): (String, UInt64) =
                magnitude < 1_000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            text = Self.decimal(magnitude, scale: scale) + unit
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = Self.decimal(magnitude % 60_000_000_000, scale: 1_000_000_000)
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += seconds + "s"
        }
        return negative ? "-" + text : text
    }

    /// `value / scale` with the fraction's trailing zeros dropped.
    private static func decimal(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale
        var fraction = value % scale
        guard fraction > 0 else { return String(whole) }
        var digits = String(scale).count - 1
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let fractionText = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
}

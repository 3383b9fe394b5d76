/// The order go-yaml v2 sorts mapping keys in, which is the order `kubectl get -o yaml` prints them in.
///
/// It is not plain byte order: at the first difference two letters compare by code point, a non-letter sorts
/// before a letter (unless it follows a digit), and runs of digits compare by their numeric value, so `item2`
/// comes before `item10`.
enum YAMLKeyOrder {
    static func sorted(_ keys: [String]) -> [String] {
        guard keys.count > 1 else { return keys }
        if keys.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
            // ASCII keys (nearly all): the same order on bytes, without Unicode property lookups.
            let bytes = keys.map { (key: $0, bytes: Array($0.utf8)) }
            return bytes.sorted { less($0.bytes, $1.bytes) }.map(\.key)
        }
        let runes = keys.map { (key: $0, scalars: Array($0.unicodeScalars)) }
        return runes.sorted { less($0.scalars, $1.scalars) }.map(\.key)
    }

    static func less(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        var afterDigit = false
        var i = 0
        while i < a.count && i < b.count {
            if a[i] == b[i] {
                afterDigit = isDigit(a[i])
                i += 1
                continue
            }
            let aLetter = isLetter(a[i])
            let bLetter = isLetter(b[i])
            if aLetter && bLetter { return a[i].value < b[i].value }
            if aLetter || bLetter { return afterDigit ? aLetter : bLetter }
            var aNumber: Int64 = 0
            var bNumber: Int64 = 0
            if a[i] == "0" || b[i] == "0" {
                // A zero inside a number (not a leading zero) counts as significant.
                var j = i - 1
                while j >= 0 && isDigit(a[j]) {
                    if a[j] != "0" {
                        aNumber = 1
                        bNumber = 1
                        break
                    }
                    j -= 1
                }
            }
            var aEnd = i
            while aEnd < a.count && isDigit(a[aEnd]) {
                aNumber = aNumber &* 10 &+ (Int64(a[aEnd].value) - 48)
                aEnd += 1
            }
            var bEnd = i
            while bEnd < b.count && isDigit(b[bEnd]) {
                bNumber = bNumber &* 10 &+ (Int64(b[bEnd].value) - 48)
                bEnd += 1
            }
            if aNumber != bNumber { return aNumber < bNumber }
            if aEnd != bEnd { return aEnd < bEnd }
            return a[i].value < b[i].value
        }
        return a.count < b.count
    }

    /// `less` for ASCII text: letters are `A-Z`/`a-z` and digits `0-9`, as their Unicode categories say.
    static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var afterDigit = false
        var i = 0
        while i < a.count && i < b.count {
            if a[i] == b[i] {
                afterDigit = isDigit(a[i])
                i += 1
                continue
            }
            let aLetter = isLetter(a[i])
            let bLetter = isLetter(b[i])
            if aLetter && bLetter { return a[i] < b[i] }
            if aLetter || bLetter { return afterDigit ? aLetter : bLetter }
            var aNumber: Int64 = 0
            var bNumber: Int64 = 0
            if a[i] == UInt8(ascii: "0") || b[i] == UInt8(ascii: "0") {
                var j = i - 1
                while j >= 0 && isDigit(a[j]) {
                    if a[j] != UInt8(ascii: "0") {
                        aNumber = 1
                        bNumber = 1
                        break
                    }
                    j -= 1
                }
            }
            var aEnd = i
            while aEnd < a.count && isDigit(a[aEnd]) {
                aNumber = aNumber &* 10 &+ (Int64(a[aEnd]) - 48)
                aEnd += 1
            }
            var bEnd = i
            while bEnd < b.count && isDigit(b[bEnd]) {
                bNumber = bNumber &* 10 &+ (Int64(b[bEnd]) - 48)
                bEnd += 1
            }
            if aNumber != bNumber { return aNumber < bNumber }
            if aEnd != bEnd { return aEnd < bEnd }
            return a[i] < b[i]
        }
        return a.count < b.count
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }
}

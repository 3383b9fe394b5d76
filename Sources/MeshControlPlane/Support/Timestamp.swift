import Foundation

/// RFC 3339 timestamps as Kubernetes writes them (`2024-05-01T12:00:00Z`), without a date formatter.
enum Timestamp {
    /// `seconds` since the Unix epoch in UTC; with `microseconds`, the MicroTime form (`…T12:00:00.123456Z`).
    static func rfc3339(seconds: Int, microseconds: Int? = nil) -> String {
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                          secondOfDay / 3600, (secondOfDay % 3600) / 60, secondOfDay % 60)
        if let microseconds { text += String(format: ".%06d", microseconds) }
        return text + "Z"
    }

    /// Now, to the second.
    static func now() -> String {
        rfc3339(seconds: Int(Date().timeIntervalSince1970))
    }

    /// Now with microseconds (events, leases).
    static func nowMicro() -> String {
        let now = Date().timeIntervalSince1970
        return rfc3339(seconds: Int(now), microseconds: Int((now - now.rounded(.down)) * 1_000_000))
    }

    /// Seconds since the epoch of an RFC 3339 time (`Z` or numeric offset), or `nil`.
    static func parse(_ text: String) -> Int? {
        let chars = Array(text.utf8)
        guard chars.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= chars.count else { return nil }
            var value = 0
            for c in chars[start..<start + length] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2) else { return nil }
        return days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Howard Hinnant's days-from-civil algorithm, inverted.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func days(fromCivil year0: Int, _ month: Int, _ day: Int) -> Int {
        let year = month <= 2 ? year0 - 1 : year0
        let era = (year >= 0 ? year : year - 399) / 400
        let yoe = year - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

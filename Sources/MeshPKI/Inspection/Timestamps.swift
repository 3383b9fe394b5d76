import Foundation

/// Times as meshctl prints them: RFC 3339 in UTC, and durations as days and hours.
public enum Timestamps {
    /// `2034-05-01T10:00:00Z`.
    public static func text(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// `3649d23h`, `5h12m`, `expired 3d ago` — the time from `now` until `date`.
    public static func remaining(until date: Date, from now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now))
        if seconds < 0 { return "expired \(span(-seconds)) ago" }
        return span(seconds)
    }

    /// `3d4h`, `4h5m`, `5m`, `12s`.
    static func span(_ seconds: Int) -> String {
        let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60
        if days > 0 { return hours > 0 ? "\(days)d\(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h\(minutes)m" : "\(hours)h" }
        if minutes > 0 { return "\(minutes)m" }
        return "\(seconds)s"
    }
}

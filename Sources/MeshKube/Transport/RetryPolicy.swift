import Foundation

/// When and how long to wait before repeating an idempotent request the server asked us to retry (429, 503).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; `1` never retries.
    public var maxAttempts: Int
    /// The wait when the server sends no usable `Retry-After`.
    public var defaultDelay: Duration
    /// The longest wait honoured; a longer `Retry-After` is cut to this.
    public var maxDelay: Duration

    /// Makes a policy; the default tries three times and never waits more than ten seconds at once.
    public init(maxAttempts: Int = 3, defaultDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(10)) {
        self.maxAttempts = max(1, maxAttempts)
        self.defaultDelay = defaultDelay
        self.maxDelay = maxDelay
    }

    /// Never retry.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Whether a response with `status` to `request` may be repeated, given the attempts made so far.
    public func shouldRetry(_ request: HTTPRequest, status: Int, attempt: Int) -> Bool {
        attempt < maxAttempts && request.isIdempotent && (status == 429 || status == 503)
    }

    /// How long to wait, from a `Retry-After` value (delay-seconds or an HTTP date), bounded by `maxDelay`.
    public func delay(retryAfter: String?, now: Date = Date()) -> Duration {
        guard let text = retryAfter?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return defaultDelay }
        if let seconds = Int(text) {
            return min(.seconds(max(0, seconds)), maxDelay)
        }
        if let date = Self.httpDate(text) {
            let seconds = max(0, date.timeIntervalSince(now))
            return min(.milliseconds(Int(seconds * 1000)), maxDelay)
        }
        return defaultDelay
    }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

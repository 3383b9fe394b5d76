import Synchronization

/// The proxy's own messages on standard error, by logger (as Envoy's component loggers), each with a level the
/// admin `POST /logging` changes at runtime. One per proxy process, carried across config reloads.
final class ProxyLog: Sendable {
    /// Envoy's log levels, least severe first.
    enum Level: Int, CaseIterable, Sendable {
        case trace, debug, info, warning, error, critical, off

        var name: String { "\(self)" }

        /// `warn` is accepted for `warning`, as Envoy does.
        init?(name: some StringProtocol) {
            if name == "warn" {
                self = .warning
                return
            }
            guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = level
        }
    }

    /// The loggers the proxy writes to: config reloads, ext-authz setup, JWKS fetches, AUDIT policies.
    static let loggers = ["config", "ext_authz", "jwt", "rbac"]

    private let levels: Mutex<[String: Level]>

    /// Every logger at `level` (Envoy's default is `info`).
    init(level: Level = .info) {
        levels = Mutex(Dictionary(uniqueKeysWithValues: Self.loggers.map { ($0, level) }))
    }

    /// Writes `message` and a newline when `logger` is at `level` or below.
    func write(_ logger: String, _ level: Level, _ message: @autoclosure () -> String) {
        if isEnabled(logger, level) { StandardError.write(message() + "\n") }
    }

    /// Whether `logger` writes messages of `level`.
    func isEnabled(_ logger: String, _ level: Level) -> Bool {
        guard level != .off, let current = levels.withLock({ $0[logger] }) else { return false }
        return current.rawValue <= level.rawValue
    }

    /// Each logger and its level, by name.
    var current: [(logger: String, level: Level)] {
        levels.withLock { levels in levels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    /// Sets the given loggers' levels.
    func set(_ changes: [String: Level]) {
        levels.withLock { levels in
            for (logger, level) in changes { levels[logger] = level }
        }
    }
}

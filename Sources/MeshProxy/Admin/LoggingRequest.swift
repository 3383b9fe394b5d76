/// Envoy's admin `/logging` query: `level=<level>` sets every logger, `<logger>=<level>` one of them.
enum LoggingRequest {
    /// The levels a query asks for, or the problem with it.
    static func changes(query: Substring, loggers: [String]) -> Result<[String: ProxyLog.Level], LoggingQueryError> {
        var changes: [String: ProxyLog.Level] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0]
            guard parts.count == 2, let level = ProxyLog.Level(name: parts[1]) else {
                return .failure(LoggingQueryError(message: "unknown level in \(pair)"))
            }
            if name == "level" {
                for logger in loggers { changes[logger] = level }
            } else if loggers.contains(String(name)) {
                changes[String(name)] = level
            } else {
                return .failure(LoggingQueryError(message: "unknown logger \(name)"))
            }
        }
        return .success(changes)
    }

    static let usage = """
        usage: /logging?<name>=<level> (change single level)
        usage: /logging?level=<level> (change all levels)
        levels: \(ProxyLog.Level.allCases.map(\.name).joined(separator: " "))

        """
}

/// A `/logging` query that names an unknown logger or level.
struct LoggingQueryError: Error {
    let message: String
}

import NIOHTTP1

extension AdminPages {
    /// `/logging`: lists each logger's level; `POST /logging?level=<level>` (every logger) or
    /// `POST /logging?<logger>=<level>` changes them first. A query in a GET is refused as Envoy refuses every
    /// GET of an endpoint that changes state.
    static func logging(query: Substring?, method: HTTPMethod, log: ProxyLog) -> (HTTPResponseStatus, String, String) {
        if let query, !query.isEmpty {
            guard method == .POST else {
                return (.methodNotAllowed, "text/plain", "Method \(method.rawValue) not allowed, POST required.")
            }
            switch LoggingRequest.changes(query: query, loggers: ProxyLog.loggers) {
            case .success(let changes):
                log.set(changes)
            case .failure(let error):
                return (.badRequest, "text/plain", "error: \(error.message)\n\n" + LoggingRequest.usage + levels(log))
            }
        }
        return (.ok, "text/plain", levels(log))
    }

    private static func levels(_ log: ProxyLog) -> String {
        "active loggers:\n" + log.current.map { "  \($0.logger): \($0.level.name)\n" }.joined()
    }
}

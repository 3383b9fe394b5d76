import Testing
@testable import MeshProxy

/// Envoy's admin `/logging`: levels listed, changed by POST (all loggers or one), refused in a GET.
@Suite("Admin /logging")
struct AdminLoggingTests {
    @Test("level= sets every logger, <logger>= one; unknown names and levels are refused")
    func queries() throws {
        let all = try LoggingRequest.changes(query: "level=warn", loggers: ["a", "b"]).get()
        #expect(all == ["a": .warning, "b": .warning])
        #expect(try LoggingRequest.changes(query: "b=off&a=debug", loggers: ["a", "b"]).get() == ["a": .debug, "b": .off])
        #expect(throws: LoggingQueryError.self) { try LoggingRequest.changes(query: "c=info", loggers: ["a"]).get() }
        #expect(throws: LoggingQueryError.self) { try LoggingRequest.changes(query: "level=loud", loggers: ["a"]).get() }
        #expect(throws: LoggingQueryError.self) { try LoggingRequest.changes(query: "level", loggers: ["a"]).get() }
    }

    @Test("POST changes the levels the proxy's loggers write at; GET lists them and refuses a query with 405")
    func page() {
        let log = ProxyLog()
        #expect(log.isEnabled("rbac", .info))
        let listed = AdminPages.logging(query: nil, method: .GET, log: log)
        #expect(listed.0 == .ok)
        #expect(listed.2 == "active loggers:\n  config: info\n  ext_authz: info\n  jwt: info\n  rbac: info\n")

        let refused = AdminPages.logging(query: "level=off", method: .GET, log: log)
        #expect(refused.0 == .methodNotAllowed)
        #expect(refused.2 == "Method GET not allowed, POST required.")
        #expect(log.isEnabled("rbac", .info), "a GET changed the level")

        let changed = AdminPages.logging(query: "rbac=error", method: .POST, log: log)
        #expect(changed.0 == .ok)
        #expect(changed.2.contains("  rbac: error\n"))
        #expect(!log.isEnabled("rbac", .info))
        #expect(log.isEnabled("rbac", .error))
        #expect(log.isEnabled("jwt", .warning))

        _ = AdminPages.logging(query: "level=off", method: .POST, log: log)
        #expect(!log.isEnabled("config", .critical))
        let bad = AdminPages.logging(query: "http=debug", method: .POST, log: log)
        #expect(bad.0 == .badRequest)
        #expect(bad.2.hasPrefix("error: unknown logger http\n\nusage: /logging?<name>=<level>"))
    }
}

import MeshCore
import Testing
@testable import MeshProxy

@Suite("AccessLogEntry")
struct AccessLogEntryTests {
    @Test("START_TIME is RFC 3339 UTC with milliseconds")
    func timestamp() {
        #expect(AccessLogEntry.timestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(AccessLogEntry.timestamp(1_795_000_000.5) == "2026-11-18T11:06:40.500Z")
    }

    @Test("the line carries Istio's default JSON fields, null where Envoy prints -")
    func fields() throws {
        let fields = AccessLogEntry.HTTPRequestFields(
            method: "GET", path: "/a", authority: "svc", userAgent: nil, forwardedFor: nil, requestID: "r")
        var entry = AccessLogEntry(head: fields, protocol: "HTTP/1.1", startTime: "t", remote: "10.0.0.1", local: nil)
        entry.responseCode = 503
        entry.responseFlags = "UF"
        let line = try JSON.parse(bytes: Array(entry.json.utf8))
        for key in [
            "start_time", "method", "path", "protocol", "response_code", "response_flags", "bytes_received", "bytes_sent",
            "duration", "upstream_service_time", "x_forwarded_for", "user_agent", "request_id", "authority", "upstream_host",
            "upstream_cluster", "downstream_remote_address", "route_name",
        ] {
            #expect(line[key] != nil, "no \(key)")
        }
        #expect(line["response_flags"] == .string("UF"))
        #expect(line["user_agent"] == .null)
        #expect(line["upstream_service_time"] == .null)
        #expect(!entry.json.contains("\n"))
    }

    @Test("socket addresses print as Envoy's: ip:port, [v6]:port, the bare IP without a port")
    func socketAddresses() {
        #expect(AccessLogEntry.socketAddress("10.0.0.1", port: 8080) == "10.0.0.1:8080")
        #expect(AccessLogEntry.socketAddress("2001:db8::1", port: 0) == "[2001:db8::1]:0")
        #expect(AccessLogEntry.socketAddress("10.0.0.1", port: nil) == "10.0.0.1")
    }
}

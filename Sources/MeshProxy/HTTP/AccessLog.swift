#if canImport(Glibc)
import Glibc
#endif
import MeshCore

/// One request's JSON access log line, with the fields of Istio's default JSON access log format
/// (`start_time` … `upstream_cluster`; Envoy's `%DURATION%` in milliseconds, body bytes each way, `null` where
/// Envoy would print `-`).
struct AccessLogEntry {
    var startTime: String
    var method: String
    var path: String
    var `protocol`: String
    var authority: String?
    var userAgent: String?
    var forwardedFor: String?
    var requestID: String?
    var downstreamRemoteAddress: String
    var downstreamLocalAddress: String?
    var responseCode = 0
    var responseFlags = "-"
    var bytesReceived = 0
    var bytesSent = 0
    var durationMillis = 0
    var upstreamServiceTimeMillis: Int?
    var upstreamHost: String?
    var upstreamCluster: String?
    var routeName: String?
    var attempts: Int?

    /// The request side, taken when its head arrives.
    init(head: HTTPRequestFields, protocol: String, startTime: String, remote: String, local: String?) {
        self.startTime = startTime
        self.method = head.method
        self.path = head.path
        self.protocol = `protocol`
        self.authority = head.authority
        self.userAgent = head.userAgent
        self.forwardedFor = head.forwardedFor
        self.requestID = head.requestID
        self.downstreamRemoteAddress = remote
        self.downstreamLocalAddress = local
    }

    /// The request fields the log reads from a head.
    struct HTTPRequestFields {
        var method: String
        var path: String
        var authority: String?
        var userAgent: String?
        var forwardedFor: String?
        var requestID: String?
    }

    /// The line, without its newline.
    var json: String {
        func text(_ value: String?) -> Value { value.map(Value.string) ?? .null }
        func number(_ value: Int?) -> Value { value.map(Value.int) ?? .null }
        let line: Value = [
            "start_time": .string(startTime), "method": .string(method), "path": .string(path),
            "protocol": .string(self.protocol), "response_code": .int(responseCode), "response_flags": .string(responseFlags),
            "bytes_received": .int(bytesReceived), "bytes_sent": .int(bytesSent), "duration": .int(durationMillis),
            "upstream_service_time": number(upstreamServiceTimeMillis), "x_forwarded_for": text(forwardedFor),
            "user_agent": text(userAgent), "request_id": text(requestID), "authority": text(authority),
            "upstream_host": text(upstreamHost), "upstream_cluster": text(upstreamCluster),
            "downstream_local_address": text(downstreamLocalAddress), "downstream_remote_address": .string(downstreamRemoteAddress),
            "route_name": text(routeName), "upstream_request_attempt_count": number(attempts),
        ]
        return JSON.emit(line)
    }

    /// An IP and port as Envoy prints socket addresses (`10.0.0.1:8080`, `[2001:db8::1]:8080`); the IP alone
    /// without a port.
    static func socketAddress(_ ip: String, port: Int?) -> String {
        guard let port else { return ip }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// `seconds` since 1970 as Envoy's `%START_TIME%`: RFC 3339 in UTC with milliseconds.
    static func timestamp(_ seconds: Double) -> String {
        var whole = time_t(seconds.rounded(.down))
        let millis = Int((seconds - Double(whole)) * 1000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}

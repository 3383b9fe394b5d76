import MeshCore
import NIOCore

/// JSON access log lines on standard error (off by default): one object per request, Envoy's field names.
enum AccessLog {
    static func write(_ exchange: Exchange, status: Int, micros: Int, client: String) {
        let line: Value = [
            "start_time_uptime_ms": .int(Int(exchange.start.uptimeNanoseconds / 1_000_000)),
            "method": .string(exchange.head.method.rawValue),
            "path": .string(exchange.head.uri),
            "authority": .string(exchange.head.headers.first(name: "host") ?? ""),
            "response_code": .int(status),
            "duration_us": .int(micros),
            "upstream_cluster": .string(exchange.cluster.config.name),
            "upstream_host": .string(exchange.endpoint.map { "\($0.config.address)" } ?? ""),
            "downstream_remote_address": .string(client),
            "request_id": .string(exchange.head.headers.first(name: "x-request-id") ?? ""),
            "attempts": .int(exchange.machine.attempts),
        ]
        StandardError.write(JSON.emit(line) + "\n")
    }
}

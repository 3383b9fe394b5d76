/// Istio's port protocols (`HTTP`, `HTTPS`, `GRPC`, `TLS`, `TCP`…), parsed case-insensitively.
enum ProtocolName {
    static let known: Set<String> = ["TCP", "UDP", "GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL", "HBONE"]

    static func isSupported(_ name: String?) -> Bool { known.contains((name ?? "").uppercased()) }

    static func isTLS(_ name: String?) -> Bool { ["HTTPS", "TLS"].contains((name ?? "").uppercased()) }

    static func isHTTP(_ name: String?) -> Bool { ["HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY"].contains((name ?? "").uppercased()) }
}

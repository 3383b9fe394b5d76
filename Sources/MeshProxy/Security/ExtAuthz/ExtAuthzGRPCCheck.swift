import NIOHTTP1

/// Envoy's gRPC authorization service (`envoy.service.auth.v3.Authorization/Check`), as a pure translation: the
/// `CheckRequest` for a client request and the decision in a `CheckResponse` (status OK allows, any other
/// code denies with the `denied_response` status — 403 unless set —, headers and body).
enum ExtAuthzGRPCCheck {
    static let path = "/envoy.service.auth.v3.Authorization/Check"

    /// `CheckRequest`: `attributes` (1) with `source` (1) and `destination` (2) peers and, for an HTTP request,
    /// `request` (4).`http` (2); a TCP connection (no head) is described by its peers alone.
    static func request(for input: ExtAuthzClient.Input, packAsBytes: Bool) -> [UInt8] {
        let connection = input.connection
        var message = ProtobufWriter(omittingDefaults: true)
        message.message(1) { attributes in
            attributes.message(1) { source in
                source.message(1) { $0.message(1) { $0.string(2, connection.clientAddress) } }
                source.string(4, connection.principal ?? "")
            }
            attributes.message(2) { destination in
                destination.message(1) { address in
                    address.message(1) { socket in
                        socket.string(2, connection.localAddress ?? "")
                        socket.varint(3, UInt64(connection.port ?? 0))
                    }
                }
            }
            if let head = input.head {
                attributes.message(4) { request in
                    request.message(2) { http(head, input, packAsBytes: packAsBytes, into: &$0) }
                }
            }
        }
        return message.bytes
    }

    /// `AttributeContext.HttpRequest`: id, method, headers (a map, with pseudo-headers), path, host, scheme,
    /// size, protocol, and the body as `body` or `raw_body`.
    private static func http(_ head: HTTPRequestHead, _ input: ExtAuthzClient.Input, packAsBytes: Bool, into http: inout ProtobufWriter) {
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { $0 + "," + value } ?? value
        }
        let host = headers["host"] ?? ""
        headers[":authority"] = host
        headers[":method"] = head.method.rawValue
        headers[":path"] = head.uri
        headers[":scheme"] = input.scheme
        if input.body != nil { headers["x-envoy-auth-partial-body"] = input.partial ? "true" : "false" }
        http.string(1, headers["x-request-id"] ?? "")
        http.string(2, head.method.rawValue)
        for key in headers.keys.sorted() { http.mapEntry(3, key, headers[key]!) }
        http.string(4, head.uri)
        http.string(5, host)
        http.string(6, input.scheme)
        http.varint(9, UInt64(bitPattern: Int64(headers["content-length"].flatMap(Int64.init) ?? -1)))
        http.string(10, head.version.major == 2 ? "HTTP/2" : "HTTP/\(head.version.major).\(head.version.minor)")
        if let body = input.body {
            if packAsBytes {
                http.lengthDelimited(12, body)
            } else {
                http.string(11, String(decoding: body, as: UTF8.self))
            }
        }
    }

    /// The decision in a `CheckResponse`: `status` (1, google.rpc.Status), `denied_response` (2: HttpStatus
    /// `status` 1, `headers` 2, `body` 3) or `ok_response` (3: `headers` 2, `headers_to_remove` 5,
    /// `response_headers_to_add` 6).
    static func decision(_ message: [UInt8]) throws(ProtobufReader.Malformed) -> ExtAuthzDecision {
        var code: Int64 = 0
        var status: Int64 = 0
        var body = ""
        var deniedHeaders: [(String, String)] = []
        var upstream: [(String, String)] = []
        var downstream: [(String, String)] = []
        var removing: [String] = []
        for (field, value) in try ProtobufReader.fields(message[...]) {
            switch field {
            case 1:
                for (inner, part) in try ProtobufReader.fields(value.bytes) where inner == 1 { code = part.integer }
            case 2:
                for (inner, part) in try ProtobufReader.fields(value.bytes) {
                    switch inner {
                    case 1: for (f, v) in try ProtobufReader.fields(part.bytes) where f == 1 { status = v.integer }
                    case 2: deniedHeaders.append(try header(part.bytes))
                    case 3: body = part.string
                    default: break
                    }
                }
            case 3:
                for (inner, part) in try ProtobufReader.fields(value.bytes) {
                    if inner == 2 { upstream.append(try header(part.bytes)) }
                    if inner == 5 { removing.append(part.string.lowercased()) }
                    if inner == 6 { downstream.append(try header(part.bytes)) }
                }
            default:
                break
            }
        }
        guard code != 0 else { return .allow(upstreamHeaders: upstream, downstreamHeaders: downstream, removing: removing) }
        return .deny(status: (100...599).contains(status) ? Int(status) : 403, headers: deniedHeaders, body: body)
    }

    /// `HeaderValueOption`: `header` (1) with `key` (1) and `value` (2).
    private static func header(_ option: ArraySlice<UInt8>) throws(ProtobufReader.Malformed) -> (String, String) {
        var key = "", value = ""
        for (field, part) in try ProtobufReader.fields(option) where field == 1 {
            for (inner, text) in try ProtobufReader.fields(part.bytes) {
                if inner == 1 { key = text.string.lowercased() }
                if inner == 2 { value = text.string }
            }
        }
        return (key, value)
    }
}

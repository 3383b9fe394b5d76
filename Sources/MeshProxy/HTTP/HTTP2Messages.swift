import NIOHPACK
import NIOHTTP1

/// HTTP/2 header blocks as the HTTP/1-style messages the proxy handler works on, and back (RFC 9113 §8.3,
/// §8.2.2, §8.2.3). Pure functions.
enum HTTP2Messages {
    /// A request's header block as an HTTP/1.1-style head: `:authority` becomes `Host` (unless one is sent),
    /// `cookie` crumbs are joined with "; " for the HTTP/1.1 upstream, and a body without `content-length` on a
    /// method that carries one is marked chunked (empty when the block ends the stream). Nil when `:method` or
    /// `:path` is missing.
    static func requestHead(_ block: HPACKHeaders, endStream: Bool) -> HTTPRequestHead? {
        var method: String?
        var path: String?
        var authority: String?
        var regular: [(String, String)] = []
        regular.reserveCapacity(block.count)
        var cookies: [String] = []
        var hasHost = false
        var hasContentLength = false
        for (name, value, _) in block {
            if name.utf8.first == UInt8(ascii: ":") {
                switch name {
                case ":method": method = value
                case ":path": path = value
                case ":authority": authority = value
                default: break
                }
                continue
            }
            switch name {
            case "cookie":
                cookies.append(value)
                continue
            case "host": hasHost = true
            case "content-length": hasContentLength = true
            default: break
            }
            regular.append((name, value))
        }
        guard let method, let path else { return nil }
        if !hasHost, let authority { regular.insert(("host", authority), at: 0) }
        if !cookies.isEmpty { regular.append(("cookie", cookies.joined(separator: "; "))) }
        let httpMethod = HTTPMethod(rawValue: method)
        if !hasContentLength && carriesBody(httpMethod) {
            regular.append(endStream ? ("content-length", "0") : ("transfer-encoding", "chunked"))
        }
        return HTTPRequestHead(version: .http2, method: httpMethod, uri: path, headers: HTTPHeaders(regular))
    }

    /// A response head as a header block: `:status` first, names lower-cased, the fields HTTP/2 forbids
    /// (connection-specific ones, RFC 9113 §8.2.2) left out.
    static func responseBlock(_ head: HTTPResponseHead) -> HPACKHeaders {
        var block = HPACKHeaders()
        block.reserveCapacity(head.headers.count + 1)
        block.add(name: ":status", value: String(head.status.code))
        appendRegular(head.headers, to: &block)
        return block
    }

    /// Trailers as a header block.
    static func trailerBlock(_ trailers: HTTPHeaders) -> HPACKHeaders {
        var block = HPACKHeaders()
        block.reserveCapacity(trailers.count)
        appendRegular(trailers, to: &block)
        return block
    }

    /// A trailer block's fields (pseudo-headers dropped).
    static func trailers(_ block: HPACKHeaders) -> HTTPHeaders {
        var fields: [(String, String)] = []
        fields.reserveCapacity(block.count)
        for (name, value, _) in block where name.utf8.first != UInt8(ascii: ":") { fields.append((name, value)) }
        return HTTPHeaders(fields)
    }

    private static func appendRegular(_ headers: HTTPHeaders, to block: inout HPACKHeaders) {
        for (name, value) in headers {
            let lowered = isLowercase(name) ? name : name.lowercased()
            if isConnectionSpecific(lowered) {
                // `te: trailers` is the one value HTTP/2 allows (gRPC).
                guard lowered == "te", value.lowercased() == "trailers" else { continue }
            }
            block.add(name: lowered, value: value)
        }
    }

    private static func isConnectionSpecific(_ name: String) -> Bool {
        switch name {
        case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te": true
        default: false
        }
    }

    private static func isLowercase(_ name: String) -> Bool {
        !name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    private static func carriesBody(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .DELETE, .CONNECT, .TRACE: false
        default: true
        }
    }
}

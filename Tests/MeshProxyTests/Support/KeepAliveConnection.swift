#if canImport(Glibc)
import Glibc
#endif

/// One persistent HTTP/1.1 connection to 127.0.0.1 over a blocking socket (reads time out after 10 s), to see
/// what happens to a connection across proxy events such as a config reload. One task may send while another
/// reads (the kernel allows it; only reading touches `buffer`), hence `@unchecked Sendable`.
final class KeepAliveConnection: @unchecked Sendable {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let socket: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`, from the loopback address `source` (another one than 127.0.0.1 gives the
    /// proxy another client address).
    init(port: Int, source: String = "127.0.0.1") throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func address(_ host: String, port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            return address
        }
        func call(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
            withUnsafePointer(to: address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        let socket = self.socket
        let bound = call(address(source, port: 0)) { bind(socket, $0, $1) }
        let connected = bound == 0 ? call(address("127.0.0.1", port: port)) { connect(socket, $0, $1) } : bound
        guard connected == 0 else {
            close(socket)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed (errno \(errno))")
        }
    }

    deinit { close(socket) }

    /// Sends `GET path` and reads the response (Content-Length framed, as the test upstreams answer).
    func get(_ path: String) throws -> Response {
        try exchange(Array("GET \(path) HTTP/1.1\r\nHost: test\r\n\r\n".utf8))
    }

    /// Sends `request` as it is and reads one response.
    func exchange(_ request: [UInt8]) throws -> Response {
        guard send(request) else {
            throw Failure(description: "send failed (errno \(errno))")
        }
        let headEnd = Array("\r\n\r\n".utf8)
        while true {
            if let end = buffer.firstRange(of: headEnd) {
                let headText = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                var lines = headText.split(separator: "\r\n").map(String.init)
                let statusLine = lines.removeFirst().split(separator: " ")
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " })
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end.upperBound + length { try fill() }
                let body = String(decoding: buffer[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
                buffer.removeFirst(end.upperBound + length)
                return Response(status: Int(statusLine[1]) ?? 0, headers: headers, body: body)
            }
            try fill()
        }
    }

    /// Sends `bytes` as they are; false when the connection refused them (reset, or closed for reading).
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Half-closes: no more bytes from this side (the peer reads end of stream).
    func finishSending() {
        shutdown(socket, Int32(SHUT_WR))
    }

    /// Everything the peer sends until it closes its side (or the read timeout passes).
    func readToEnd() -> String {
        String(decoding: readAllBytes(), as: UTF8.self)
    }

    /// The bytes the peer sends until it closes its side (or the read timeout passes).
    func readAllBytes() -> [UInt8] {
        while (try? fill()) != nil {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// Whether the peer closed the connection (reads end of stream within the read timeout).
    func closedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, 0) == 0
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: count == 0 ? "connection closed by the proxy" : "read failed (errno \(errno))") }
        buffer += chunk[..<count]
    }
}

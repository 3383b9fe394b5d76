import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A real HTTP/1.1 upstream on 127.0.0.1 for end-to-end tests. Paths:
/// `/echo` (200, body lists the request line and headers), `/status/NNN`, `/slow/MS`, `/big/N` (N bytes),
/// `/stream/N` (N bytes, written in 64 KB chunks of one shared buffer),
/// `/fail-then-ok/K` (503 for the first K requests, then 200), `/close` (closes before the head), `/die` (closes
/// after the head and part of the body), `/reset` (a TCP reset before the head), anything else 200 `ok`.
/// Every response carries `x-upstream-id`; `requests` counts what arrived, `connections` the connections accepted.
/// While failing (`failAll` at start) every answer is a 500, or the status given to `fail(with:)`. `delay(by:)` slows
/// every answer. Given a certificate and key, it serves HTTPS with them; given a client CA too, it requires a client
/// certificate from that CA and answers with its serial number in `x-client-serial`.
final class TestUpstream: Sendable {
    let id: String
    let channel: any Channel
    let counter: Counter

    final class Counter: Sendable {
        let requests = Atomic<Int>(0)
        let connections = Atomic<Int>(0)
        let failing = Atomic<Bool>(false)
        let failStatus = Atomic<Int>(500)
        let delay = Atomic<Int64>(0)
    }

    var port: Int { channel.localAddress!.port! }
    var requests: Int { counter.requests.load(ordering: .relaxed) }
    var connections: Int { counter.connections.load(ordering: .relaxed) }

    /// Makes every later answer `status` (`nil`: back to normal answers).
    func fail(with status: Int?) {
        if let status { counter.failStatus.store(status, ordering: .relaxed) }
        counter.failing.store(status != nil, ordering: .relaxed)
    }

    /// Delays every later answer by `milliseconds`.
    func delay(by milliseconds: Int64) {
        counter.delay.store(milliseconds, ordering: .relaxed)
    }

    static func start(
        id: String, group: any EventLoopGroup, failAll: Bool = false, tls: (certificate: String, key: String)? = nil,
        clientCA: String? = nil
    ) async throws -> TestUpstream {
        let counter = Counter()
        counter.failing.store(failAll, ordering: .relaxed)
        let context = try tls.map { tls in
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem)))
            if let clientCA {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
                configuration.certificateVerification = .noHostnameVerification
            }
            return try NIOSSLContext(configuration: configuration)
        }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.connections.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder(id: id, counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestUpstream(id: id, channel: channel, counter: counter)
    }

    private init(id: String, channel: any Channel, counter: Counter) {
        self.id = id
        self.channel = channel
        self.counter = counter
    }

    func stop() async {
        try? await channel.close().get()
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let id: String
        let counter: Counter
        var head: HTTPRequestHead?
        var bodyBytes = 0

        init(id: String, counter: Counter) {
            self.id = id
            self.counter = counter
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                bodyBytes = 0
                if head.uri.hasPrefix("/early") {
                    // Answers at once without reading the body (as nginx's `return 200` does).
                    let count = counter.requests.add(1, ordering: .relaxed).newValue
                    respond(head, count: count, context: context)
                    self.head = nil
                }
            case .body(let buffer):
                bodyBytes += buffer.readableBytes
            case .end:
                guard let head else { return }
                let count = counter.requests.add(1, ordering: .relaxed).newValue
                respond(head, count: count, context: context)
            }
        }

        private func respond(_ head: HTTPRequestHead, count: Int, context: ChannelHandlerContext) {
            let parts = head.uri.split(separator: "?")[0].split(separator: "/")
            if respondUnbuffered(parts, version: head.version, context: context) { return }
            var status = HTTPResponseStatus.ok
            var body = "ok"
            var delay = counter.delay.load(ordering: .relaxed)
            switch parts.first {
            case "echo":
                body = "\(head.method.rawValue) \(head.uri) body=\(bodyBytes)\n"
                    + head.headers.map { "\($0.name.lowercased()): \($0.value)" }.joined(separator: "\n")
            case "status":
                status = HTTPResponseStatus(statusCode: parts.count > 1 ? Int(parts[1]) ?? 500 : 500)
            case "slow":
                delay = parts.count > 1 ? Int64(parts[1]) ?? 100 : 100
            case "big":
                body = String(repeating: "x", count: parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
            case "fail-then-ok":
                if count <= (parts.count > 1 ? Int(parts[1]) ?? 0 : 0) { status = .serviceUnavailable }
            default:
                break
            }
            if counter.failing.load(ordering: .relaxed) {
                status = HTTPResponseStatus(statusCode: counter.failStatus.load(ordering: .relaxed))
            }
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: String(body.utf8.count))
            headers.add(name: "x-upstream-id", value: id)
            let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            if let client = tls?.peerCertificate { headers.add(name: "x-client-serial", value: client.serialHex) }
            respond(
                HTTPResponseHead(version: head.version, status: status, headers: headers), body: context.channel.allocator.buffer(string: body),
                delay: delay, context: context)
        }

        /// The routes that don't answer with one buffer: failures and streams. Whether `parts` named one.
        private func respondUnbuffered(_ parts: [Substring], version: HTTPVersion, context: ChannelHandlerContext) -> Bool {
            switch parts.first {
            case "close":
                context.close(promise: nil)
            case "reset":
                // SO_LINGER 0: the close sends a reset instead of a FIN.
                let channel = context.channel
                (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                    .whenComplete { _ in channel.close(promise: nil) }
            case "die":
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "1000")
                headers.add(name: "x-upstream-id", value: id)
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
                let part = context.channel.allocator.buffer(string: String(repeating: "x", count: 100))
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part)))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            case "stream":
                stream(bytes: Int(parts.dropFirst().first ?? "") ?? 0, version: version, context: context)
            default:
                return false
            }
            return true
        }

        private func stream(bytes: Int, version: HTTPVersion, context: ChannelHandlerContext) {
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: String(bytes))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
            let chunk = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: 65536)
            var left = bytes
            while left > 0 {
                context.write(wrapOutboundOut(.body(.byteBuffer(chunk.getSlice(at: 0, length: min(left, 65536))!))), promise: nil)
                left -= 65536
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

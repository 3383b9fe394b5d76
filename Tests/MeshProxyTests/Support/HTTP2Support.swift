import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization

/// An HTTP/2-only upstream (h2c prior knowledge, or h2 over TLS when given a context) that answers every request
/// with 200, headers telling what it saw (`x-upstream-id`, `x-seen-te`, `x-seen-path`), a body of the request
/// body's size, and the trailer `grpc-status: 0` — the shape of a gRPC exchange.
final class HTTP2Upstream: Sendable {
    let channel: any Channel
    /// Connections accepted so far.
    private let connections: Counter
    var port: Int { channel.localAddress!.port! }
    var connectionCount: Int { connections.value.load(ordering: .relaxed) }

    private init(channel: any Channel, connections: Counter) {
        self.channel = channel
        self.connections = connections
    }

    static func start(id: String, group: any EventLoopGroup, tls: NIOSSLContext? = nil) async throws -> HTTP2Upstream {
        let counter = Counter()
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    counter.value.add(1, ordering: .relaxed)
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                            try stream.pipeline.syncOperations.addHandler(Responder(id: id))
                        }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HTTP2Upstream(channel: channel, connections: counter)
    }

    func stop() async { try? await channel.close().get() }

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let id: String
        var head: HTTPRequestHead?
        var bodyBytes = 0

        init(id: String) { self.id = id }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body(let buffer): bodyBytes += buffer.readableBytes
            case .end:
                guard let head else { return }
                let body = "received \(bodyBytes) bytes over HTTP/\(head.version.major)"
                var headers = HTTPHeaders()
                headers.add(name: "content-type", value: "application/grpc")
                headers.add(name: "x-upstream-id", value: id)
                headers.add(name: "x-seen-te", value: head.headers.first(name: "te") ?? "")
                headers.add(name: "x-seen-path", value: head.uri)
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(["grpc-status": "0", "grpc-message": "ok"])), promise: nil)
            }
        }
    }
}

/// An h2c (prior knowledge) client for one request per stream, keeping the response trailers.
enum HTTP2TestClient {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var trailers: HTTPHeaders?
    }

    /// An h2c connection (prior knowledge) and its stream multiplexer.
    static func connect(port: Int, group: any EventLoopGroup) async throws -> (any Channel, NIOHTTP2Handler.StreamMultiplexer) {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        let multiplexer = try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
            ) { $0.close() }
        }.get()
        return (channel, multiplexer)
    }

    /// One request on a new stream of `multiplexer` (a connection on `eventLoop`); the future has its response
    /// (10 s bound).
    static func request(
        on multiplexer: NIOHTTP2Handler.StreamMultiplexer, eventLoop: any EventLoop, port: Int, path: String,
        headers: [(String, String)] = [], body: String? = nil
    ) async throws -> EventLoopFuture<Response> {
        let promise = eventLoop.makePromise(of: Response.self)
        let stream = try await multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(Collector(promise: promise))
            }
        }.get()
        var head = HTTPRequestHead(version: .http2, method: body == nil ? .GET : .POST, uri: path)
        head.headers.add(name: "host", value: "127.0.0.1:\(port)")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        stream.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { stream.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
        stream.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timeout = eventLoop.scheduleTask(in: .seconds(10)) { promise.fail(ChannelError.connectTimeout(.seconds(10))) }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }

    /// Sends `count` requests concurrently over one connection and returns their responses.
    static func send(
        port: Int, path: String, headers: [(String, String)] = [], body: String? = nil, count: Int = 1,
        group: any EventLoopGroup
    ) async throws -> [Response] {
        let (channel, multiplexer) = try await connect(port: port, group: group)
        defer { channel.close(promise: nil) }
        var futures: [EventLoopFuture<Response>] = []
        for _ in 0..<count {
            futures.append(try await request(
                on: multiplexer, eventLoop: channel.eventLoop, port: port, path: path, headers: headers, body: body))
        }
        var responses: [Response] = []
        for future in futures { responses.append(try await future.get()) }
        return responses
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Response>
        var response = Response(status: 0, headers: [:], body: "", trailers: nil)

        init(promise: EventLoopPromise<Response>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                response.status = Int(head.status.code)
                response.headers = head.headers
            case .body(let buffer):
                response.body += String(buffer: buffer)
            case .end(let trailers):
                response.trailers = trailers
                promise.succeed(response)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.eof)
        }
    }
}

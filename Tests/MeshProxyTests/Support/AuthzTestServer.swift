import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// A test authorizer on 127.0.0.1 — HTTP/1.1, or HTTP/2 with prior knowledge (h2c) seen through the HTTP/1
/// codec — whose handlers record every check they answer.
final class AuthzTestServer<Check: Sendable>: Sendable {
    let channel: any Channel
    private let log: NIOLockedValueBox<[Check]>
    var port: Int { channel.localAddress!.port! }
    /// The checks answered so far.
    var checks: [Check] { log.withLockedValue { $0 } }

    private init(channel: any Channel, log: NIOLockedValueBox<[Check]>) {
        self.channel = channel
        self.log = log
    }

    /// Serves each connection (HTTP/2: each stream) with a handler from `makeHandler`, given the shared log.
    static func start(
        group: any EventLoopGroup, http2: Bool, makeHandler: @escaping @Sendable (NIOLockedValueBox<[Check]>) -> any ChannelHandler
    ) async throws -> AuthzTestServer {
        let log = NIOLockedValueBox<[Check]>([])
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    guard http2 else {
                        try sync.configureHTTPServerPipeline()
                        return try sync.addHandler(makeHandler(log))
                    }
                    _ = try sync.configureHTTP2Pipeline(mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                            try stream.pipeline.syncOperations.addHandler(makeHandler(log))
                        }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return AuthzTestServer(channel: channel, log: log)
    }

    func stop() async { try? await channel.close().get() }
}

extension ChannelInboundHandler where OutboundOut == HTTPServerResponsePart {
    /// Writes a whole response — head, body, end with `trailers` — after `delay` milliseconds when given.
    func respond(
        _ head: HTTPResponseHead, body: ByteBuffer, trailers: HTTPHeaders? = nil, delay: Int64 = 0, context: ChannelHandlerContext
    ) {
        let write = { [self] in
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
        }
        if delay > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(delay)) { write() }
        } else {
            write()
        }
    }
}

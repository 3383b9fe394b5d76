import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// A one-shot unary gRPC call over HTTP/2 in plain text (h2c, prior knowledge) for the proxy's own calls
/// (ext-authz checks): one connection per call, closed after the answer, bounded in time and in reply size.
enum GRPCOneShot {
    /// The call ended without a usable reply (an HTTP status other than 200, a grpc-status other than 0, a
    /// compressed or cut message).
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// The reply message of the call of `path` with `message`, once it ends with grpc-status 0.
    static func call(
        _ path: String, message: [UInt8], target: HostPort, authority: String, timeout: TimeAmount, on eventLoop: any EventLoop
    ) -> EventLoopFuture<[UInt8]> {
        let reply = eventLoop.makePromise(of: [UInt8].self)
        let timer = eventLoop.scheduleTask(in: timeout) { reply.fail(ChannelError.connectTimeout(timeout)) }
        reply.futureResult.whenComplete { _ in timer.cancel() }
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Void> = { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(ReplyReader(promise: reply))
            }
        }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(min(timeout, .seconds(2)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                    ) { stream in stream.close() }
                }
            }
            .connect(host: target.host, port: target.port)
            .flatMapThrowing { channel in
                reply.futureResult.whenComplete { _ in channel.close(promise: nil) }
                return try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self).syncMultiplexer()
            }
            .flatMap { multiplexer in multiplexer.createStreamChannel(initializer) }
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    reply.fail(error)
                case .success(let stream):
                    var head = HTTPRequestHead(version: .http2, method: .POST, uri: path)
                    head.headers.add(name: "host", value: authority)
                    head.headers.add(name: "content-type", value: "application/grpc")
                    head.headers.add(name: "te", value: "trailers")
                    var frame = stream.allocator.buffer(capacity: message.count + 5)
                    frame.writeInteger(UInt8(0))
                    frame.writeInteger(UInt32(message.count))
                    frame.writeBytes(message)
                    stream.write(HTTPClientRequestPart.head(head), promise: nil)
                    stream.write(HTTPClientRequestPart.body(.byteBuffer(frame)), promise: nil)
                    stream.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                }
            }
        return reply.futureResult
    }

    private final class ReplyReader: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        static let limit = 1 << 20
        let promise: EventLoopPromise<[UInt8]>
        var headStatus: String?
        var body: [UInt8] = []

        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                guard head.status == .ok else { return fail("HTTP status \(head.status.code)", context) }
                headStatus = head.headers.first(name: "grpc-status")
            case .body(let buffer):
                guard body.count + buffer.readableBytes <= Self.limit else { return fail("reply over \(Self.limit) bytes", context) }
                body += buffer.readableBytesView
            case .end(let trailers):
                let status = trailers?.first(name: "grpc-status") ?? headStatus ?? "missing"
                guard status == "0" else {
                    return fail("grpc-status \(status) \(trailers?.first(name: "grpc-message") ?? "")", context)
                }
                guard body.count >= 5, body[0] == 0 else { return fail("no uncompressed reply message", context) }
                let length = body[1...4].reduce(0) { $0 << 8 | Int($1) }
                guard body.count == 5 + length else { return fail("cut reply message", context) }
                promise.succeed(Array(body[5...]))
            }
        }

        private func fail(_ reason: String, _ context: ChannelHandlerContext) {
            promise.fail(Failed(description: reason))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.eof)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}

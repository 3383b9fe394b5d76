import NIOCore
import NIOHTTP1

/// Answers malformed HTTP/1.1 with `400 Bad Request` and closes the connection gracefully.
///
/// Closing a socket that still has unread bytes (the rest of a smuggling attempt, say) makes the kernel send a
/// reset, which can destroy the 400 before the client reads it. So, like Envoy and nginx, this handler writes the
/// 400, shuts down its sending side, and keeps reading (and discarding) until the client closes or `linger`
/// passes; only then does it close. When a response is already under way the connection is simply closed.
final class BadRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long the connection stays half-open for the client to read the 400.
    let linger: TimeAmount
    /// A response head went out and its end has not: a 400 can't be written in the middle of it.
    private var responseInFlight = false
    private var rejected = false

    init(linger: TimeAmount = .seconds(2)) {
        self.linger = linger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After a rejection, whatever else arrives is dropped unread by the application.
        guard !rejected else { return }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if rejected, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, !rejected else {
            context.fireErrorCaught(error)
            return
        }
        rejected = true
        context.fireErrorCaught(error)  // the proxy handler counts it and abandons any exchange
        guard !responseInFlight else {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Content-Length", value: "0")
        // A head over the parser's own cap gets 431, as an oversized head within it does (see HTTPLimits).
        let status: HTTPResponseStatus = (error as? HTTPParserError) == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        let loop = context.eventLoop
        let channel = context.channel
        let linger = self.linger
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            loop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responseInFlight = true
        case .end:
            responseInFlight = false
        default:
            break
        }
        context.write(data, promise: promise)
    }
}

import NIOCore
import NIOHTTP1

/// Answers malformed HTTP/1.1 with `400 Bad Request`, and makes every close of the connection a lingering one.
///
/// Closing a socket that still has unread bytes (the rest of a smuggling attempt, a request body nobody will
/// read after a 431 or 403, a pipelined request) makes the kernel send a reset, which can destroy the last
/// response before the client reads it. So, like Envoy and nginx, a close asked for by the handlers after it
/// becomes: shut down the sending side, keep reading (and discarding) until the client closes or `linger`
/// passes, and only then close. When a response is already under way a 400 can't be written; the connection
/// is closed the same way.
final class BadRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long the connection stays half-open for the client to read the last response.
    let linger: TimeAmount
    /// A response head went out and its end has not: a 400 can't be written in the middle of it.
    private var responseInFlight = false
    /// Input is being discarded: the connection was rejected or is lingering before its close.
    private var rejected = false
    private var lingering = false

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
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // Input after a rejection, or while lingering before a close, is discarded: its parse errors too.
        guard !rejected else { return }
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
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] _ in
            lingeringClose(context: context, promise: nil)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, !lingering, context.channel.isActive else {
            context.close(mode: mode, promise: promise)
            return
        }
        lingeringClose(context: context, promise: promise)
    }

    /// Shuts the sending side, discards input until the client closes (the channel then closes by itself) or
    /// `linger` passes, then closes. `promise` completes when the connection is closed.
    private func lingeringClose(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        rejected = true
        let channel = context.channel
        if let promise { channel.closeFuture.cascade(to: promise) }
        guard !lingering else { return }
        lingering = true
        let linger = self.linger
        let shutdown = context.eventLoop.makePromise(of: Void.self)
        context.close(mode: .output, promise: shutdown)
        shutdown.futureResult.whenComplete { result in
            switch result {
            case .success:
                let timer = channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
                channel.closeFuture.whenComplete { _ in timer.cancel() }
            case .failure:
                channel.close(promise: nil)
            }
        }
        context.read()
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

import NIOCore

/// Holds a connection's flushes back until the event loop has handled its current batch of I/O events, then
/// flushes once, as Envoy writes once per loop iteration. On a downstream HTTP/2 connection the responses of
/// streams that complete in one batch leave in one write (and, under TLS, one record) instead of one each; on an
/// upstream connection, every request read in a batch is parsed before any is written, so the upstream woken by
/// the first write doesn't preempt the proxy once per request. Sits on the network side of the protocol
/// handlers (after TLS).
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var flushScheduled = false

    func flush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        // Tasks run after the loop has processed every I/O event of the current wake-up.
        context.eventLoop.assumeIsolated().execute { self.flushNow(context) }
    }

    /// Whatever was written before a close still goes out first (a GOAWAY, the last responses).
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        flushNow(context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        flushNow(context)
    }

    private func flushNow(_ context: ChannelHandlerContext) {
        guard flushScheduled else { return }
        flushScheduled = false
        context.flush()
    }
}

import NIOCore

/// Holds a connection's flushes back until the event loop has handled its current batch of I/O events, then
/// flushes once, as Envoy writes once per loop iteration. Every request and response read in a batch is handled
/// before any of them is written, so an upstream or client woken by the first write doesn't preempt the proxy
/// once per request; on an HTTP/2 connection, the responses of streams that complete in one batch also leave in
/// one write (and, under TLS, one record) instead of one each. Sits on the network side of the HTTP handlers
/// (after TLS) of downstream and upstream connections.
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

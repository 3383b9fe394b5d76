import NIOCore
import NIOSSL

/// Holds a connection's flushes back until the event loop has handled its current batch of I/O events, then
/// flushes once, as Envoy writes once per loop iteration. Every request and response read in a batch is handled
/// before any of them is written, so an upstream or client woken by the first write doesn't preempt the proxy
/// once per request; on an HTTP/2 connection, the responses of streams that complete in one batch also leave in
/// one write instead of one each. Sits on the network side of the HTTP handlers (after TLS) of downstream and
/// upstream connections.
///
/// Above TLS it also gathers small writes into one buffer: NIOSSL seals every write in a record of its own, and
/// an HTTP/2 response is four or five writes (frame headers and payloads).
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Writes up to this size are gathered; a larger one goes through as it is (after what was gathered).
    static let gatherLimit = 16 * 1024

    private let gathersWrites: Bool
    private var gathered: ByteBuffer?
    private var gatheredPromises: [EventLoopPromise<Void>] = []
    private var flushScheduled = false

    init(gathersWrites: Bool = false) {
        self.gathersWrites = gathersWrites
    }

    /// The coalescer for the top of `pipeline`: it gathers writes when the pipeline terminates or originates TLS.
    static func above(_ pipeline: ChannelPipeline.SynchronousOperations) -> FlushCoalescer {
        FlushCoalescer(gathersWrites: (try? pipeline.handler(type: NIOSSLHandler.self)) != nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard gathersWrites else {
            context.write(data, promise: promise)
            return
        }
        var buffer = unwrapOutboundIn(data)
        guard buffer.readableBytes <= Self.gatherLimit else {
            writeGathered(context)
            context.write(data, promise: promise)
            return
        }
        if gathered == nil {
            gathered = buffer
        } else {
            gathered!.writeBuffer(&buffer)
        }
        if let promise { gatheredPromises.append(promise) }
    }

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
        writeGathered(context)
        context.flush()
    }

    /// Passes the gathered bytes on as one write; its outcome completes the promises of the writes in it.
    private func writeGathered(_ context: ChannelHandlerContext) {
        guard let buffer = gathered else { return }
        gathered = nil
        let promises = gatheredPromises
        gatheredPromises = []
        if promises.isEmpty {
            context.write(wrapOutboundOut(buffer), promise: nil)
        } else {
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in promises.forEach { $0.completeWith(result) } }
            context.write(wrapOutboundOut(buffer), promise: written)
        }
    }
}

import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2

/// One stream of a downstream HTTP/2 connection, as its `HTTPProxyHandler` sees it: request parts in, response
/// parts out as frames on the connection (no child channel per stream). The last frame written is held back
/// until the next part or a flush, so a response's end rides on it (END_STREAM on the last DATA, or on the
/// HEADERS of a bodiless answer) instead of costing a frame of its own. Writability follows the bytes the
/// connection's HTTP/2 handler hasn't passed on yet (it buffers what the peer's window doesn't admit) and the
/// connection's own writability; request body flow control holds the stream's window while the handler can't
/// take more. Touched only on the connection's event loop.
final class HTTP2ServerStream {
    let id: HTTP2StreamID
    private unowned let connection: HTTP2ServerConnection
    /// The handler serving the stream's request; dropped when the stream closes.
    private(set) var handler: HTTPProxyHandler?
    private var held: (payload: HTTP2Frame.FramePayload, bytes: Int)?
    private var inbound: HTTP2InboundWindow
    private var inboundEnded = false
    private var outboundEnded = false
    private(set) var isClosed = false
    /// DATA bytes written but not yet passed on by the HTTP/2 handler.
    private var unsentBytes = 0
    private var aboveHighWatermark = false
    /// Whether request parts reached the handler during the current read (its upstream needs a flush).
    var readInBatch = false

    static let highWatermark = 64 * 1024
    static let lowWatermark = 32 * 1024

    init(id: HTTP2StreamID, connection: HTTP2ServerConnection, handler: HTTPProxyHandler, windowSize: Int) {
        self.id = id
        self.connection = connection
        self.handler = handler
        self.inbound = HTTP2InboundWindow(size: windowSize)
    }

    var eventLoop: any EventLoop { connection.eventLoop }
    var allocator: ByteBufferAllocator { connection.allocator }
    var isWritable: Bool { !isClosed && !aboveHighWatermark && connection.isWritable }

    // MARK: Inbound (from the connection)

    /// The request's first header block. False when it isn't a request (no `:method` or `:path`).
    func receivedHead(_ headers: HTTP2Frame.FramePayload.Headers) -> Bool {
        guard let head = HTTP2Messages.requestHead(headers.headers, endStream: headers.endStream) else { return false }
        handler?.requestHead(head)
        if headers.endStream { endRequest(trailers: nil) }
        return true
    }

    func receivedTrailers(_ headers: HTTP2Frame.FramePayload.Headers) {
        endRequest(trailers: HTTP2Messages.trailers(headers.headers))
    }

    func receivedData(_ data: HTTP2Frame.FramePayload.Data, flowControlledBytes: Int) {
        guard case .byteBuffer(let buffer) = data.data else { return }
        readInBatch = true
        if buffer.readableBytes > 0 { handler?.requestBody(buffer) }
        if data.endStream {
            endRequest(trailers: nil)
        } else if let increment = inbound.received(flowControlledBytes, consume: handler?.mayRead() ?? true) {
            connection.sendWindowUpdate(increment, on: id)
        }
    }

    private func endRequest(trailers: HTTPHeaders?) {
        inboundEnded = true
        readInBatch = true
        handler?.requestEnd(trailers)
    }

    /// The connection's writability changed.
    func connectionWritabilityChanged() {
        if isWritable { handler?.downstreamBecameWritable() }
    }

    /// The stream closed (both ends done, reset by either side, or the connection went away): the handler
    /// abandons whatever is in flight.
    func closed() {
        guard !isClosed else { return }
        isClosed = true
        held = nil
        let handler = self.handler
        self.handler = nil
        handler?.downstreamClosed()
    }

    // MARK: Outbound (from the handler)

    /// The handler can take more request body: give the held window back.
    func read() {
        guard !inboundEnded, !isClosed, let increment = inbound.release() else { return }
        connection.sendWindowUpdate(increment, on: id)
    }

    func write(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>? = nil) {
        guard !isClosed, !outboundEnded else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch part {
        case .head(let head):
            writeHeld()
            let block = HTTP2Frame.FramePayload.headers(.init(headers: HTTP2Messages.responseBlock(head)))
            if head.status.code < 200 {
                connection.write(block, on: id, promise: promise)  // informational: never the last frame
            } else {
                hold(block, bytes: 0, promise: promise)
            }
        case .body(let body):
            writeHeld()
            hold(.data(.init(data: body)), bytes: body.readableBytes, promise: promise)
        case .end(let trailers):
            outboundEnded = true
            if let trailers, !trailers.isEmpty {
                writeHeld()
                connection.write(.headers(.init(headers: HTTP2Messages.trailerBlock(trailers), endStream: true)), on: id, promise: promise)
            } else if var last = held {
                held = nil
                switch last.payload {
                case .headers(var headers):
                    headers.endStream = true
                    last.payload = .headers(headers)
                case .data(var data):
                    data.endStream = true
                    last.payload = .data(data)
                default: break
                }
                connection.write(last.payload, on: id, promise: promise)
            } else {
                connection.write(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)), on: id, promise: promise)
            }
        }
    }

    func flush() {
        writeHeld()
        connection.flushSoon()
    }

    func writeAndFlush(_ part: HTTPServerResponsePart, promise: EventLoopPromise<Void>? = nil) {
        write(part, promise: promise)
        flush()
    }

    /// Resets the stream (the handler gave up on it: a broken upstream; or the request was malformed).
    func reset(code: HTTP2ErrorCode = .cancel) {
        guard !isClosed else { return }
        held = nil
        connection.reset(id, code: code)
    }

    // MARK: Held frame and writability

    /// Holds `payload`; a write with a promise isn't held (the caller waits for it).
    private func hold(_ payload: HTTP2Frame.FramePayload, bytes: Int, promise: EventLoopPromise<Void>?) {
        if promise != nil {
            send(payload, bytes: bytes, promise: promise)
        } else {
            held = (payload, bytes)
        }
    }

    private func writeHeld() {
        guard let frame = held else { return }
        held = nil
        send(frame.payload, bytes: frame.bytes, promise: nil)
    }

    /// Writes a frame that isn't the stream's last; DATA is counted until the HTTP/2 handler passes it on.
    private func send(_ payload: HTTP2Frame.FramePayload, bytes: Int, promise: EventLoopPromise<Void>?) {
        guard bytes > 0 else {
            connection.write(payload, on: id, promise: promise)
            return
        }
        unsentBytes += bytes
        if unsentBytes > Self.highWatermark { aboveHighWatermark = true }
        let passedOn = promise ?? eventLoop.makePromise(of: Void.self)
        passedOn.futureResult.assumeIsolated().whenComplete { [self] _ in
            unsentBytes -= bytes
            if aboveHighWatermark && unsentBytes <= Self.lowWatermark {
                aboveHighWatermark = false
                if isWritable { handler?.downstreamBecameWritable() }
            }
        }
        connection.write(payload, on: id, promise: passedOn)
    }
}

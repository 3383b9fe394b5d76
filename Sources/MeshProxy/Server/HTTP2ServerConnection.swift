import NIOCore
import NIOHTTP2

/// The streams of one downstream HTTP/2 connection, after `NIOHTTP2Handler` (which keeps the protocol state,
/// HPACK and outbound flow control): each new stream gets an `HTTPProxyHandler` fed from the frames of its
/// id, without a channel of its own. Flushes of all streams are coalesced to one per event-loop batch. The
/// connection's receive window is given back as data arrives; each stream's as its handler takes the data.
final class HTTP2ServerConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let makeHandler: () -> HTTPProxyHandler
    private let streamWindowSize: Int
    private var connectionWindow: HTTP2InboundWindow
    private var streams: [HTTP2StreamID: HTTP2ServerStream] = [:]
    private var context: ChannelHandlerContext?
    private var flushScheduled = false
    private let lifecycle: HTTP2Downstream?

    let eventLoop: any EventLoop
    let allocator: ByteBufferAllocator

    /// The streams of `channel`. `windowSize` is the initial window the connection's SETTINGS announce for
    /// streams, and the size the connection's own window is raised to.
    init(
        channel: any Channel, windowSize: Int, lifecycle: HTTP2Downstream?, makeHandler: @escaping () -> HTTPProxyHandler
    ) {
        self.eventLoop = channel.eventLoop
        self.allocator = channel.allocator
        self.makeHandler = makeHandler
        self.streamWindowSize = windowSize
        self.connectionWindow = HTTP2InboundWindow(size: windowSize)
        self.lifecycle = lifecycle
    }

    var isWritable: Bool { context?.channel.isWritable ?? false }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { openConnectionWindow() }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        openConnectionWindow()
    }

    /// Raises the connection's window from the protocol's 65,535 bytes to the streams' size.
    private func openConnectionWindow() {
        let increment = streamWindowSize - 65_535
        guard increment > 0 else { return }
        sendWindowUpdate(increment, on: .rootStream)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeAllStreams()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeAllStreams()
        context.fireChannelInactive()
    }

    private func closeAllStreams() {
        for id in Array(streams.keys) { forget(id) }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers):
            if let stream = streams[frame.streamID] {
                stream.receivedTrailers(headers)
            } else {
                open(frame.streamID, headers: headers)
            }
        case .data(let data):
            let bytes = data.data.readableBytes + (data.paddingBytes.map { $0 + 1 } ?? 0)
            if let increment = connectionWindow.received(bytes, consume: true) {
                sendWindowUpdate(increment, on: .rootStream)
            }
            streams[frame.streamID]?.receivedData(data, flowControlledBytes: bytes)
        default:
            break  // RST_STREAM arrives as a StreamClosedEvent too; SETTINGS, PING and GOAWAY are the HTTP/2 handler's
        }
    }

    private func open(_ id: HTTP2StreamID, headers: HTTP2Frame.FramePayload.Headers) {
        let handler = makeHandler()
        let stream = HTTP2ServerStream(id: id, connection: self, handler: handler, windowSize: streamWindowSize)
        streams[id] = stream
        lifecycle?.streamOpened()
        handler.attach(to: stream)
        if !stream.receivedHead(headers) {
            stream.reset(code: .protocolError)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        for stream in streams.values where stream.readInBatch {
            stream.readInBatch = false
            stream.handler?.downstreamReadComplete()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let closed = event as? StreamClosedEvent { forget(closed.streamID) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        for stream in streams.values { stream.connectionWritabilityChanged() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A stream error: the HTTP/2 handler has reset the stream already; its handler gives up on it.
        if let streamError = error as? NIOHTTP2Errors.StreamError {
            forget(streamError.streamID)
            return
        }
        context.fireErrorCaught(error)
    }

    // MARK: Outbound (from the streams)

    func write(_ payload: HTTP2Frame.FramePayload, on id: HTTP2StreamID, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(HTTP2Frame(streamID: id, payload: payload)), promise: promise)
    }

    /// Resets a stream and forgets it (its close event, if one follows, finds nothing).
    func reset(_ id: HTTP2StreamID, code: HTTP2ErrorCode) {
        write(.rstStream(code), on: id, promise: nil)
        flushSoon()
        forget(id)
    }

    private func forget(_ id: HTTP2StreamID) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        stream.closed()
        lifecycle?.streamClosed()
    }

    func sendWindowUpdate(_ increment: Int, on id: HTTP2StreamID) {
        write(.windowUpdate(windowSizeIncrement: increment), on: id, promise: nil)
        flushSoon()
    }

    /// Flushes once the event loop has handled its current batch of events (all streams' writes together).
    func flushSoon() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            self.context?.flush()
        }
    }
}

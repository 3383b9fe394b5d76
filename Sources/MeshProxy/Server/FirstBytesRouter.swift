import NIOCore

/// The first handler of a connection whose protocol is told by its first bytes: it buffers them until
/// `classify` decides, lets `configure` add the handlers for that choice after it, passes the bytes on (less
/// the prefix `consumed` takes for itself) and steps aside. TLS detection (PERMISSIVE mTLS), HTTP/2
/// prior-knowledge sniffing and reading Istio's TCP metadata exchange frame are all this.
final class FirstBytesRouter<Choice>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var buffered: ByteBuffer?
    private let classify: (ByteBufferView) -> Choice?
    private let configure: (ChannelHandlerContext, Choice) throws -> Void
    private let consumed: (Choice) -> Int

    /// `classify` returns nil while it needs more bytes; `configure` adds the chosen protocol's handlers;
    /// `consumed` is how many of the first bytes the choice used up (none by default).
    init(
        classify: @escaping (ByteBufferView) -> Choice?, consumed: @escaping (Choice) -> Int = { _ in 0 },
        configure: @escaping (ChannelHandlerContext, Choice) throws -> Void
    ) {
        self.classify = classify
        self.consumed = consumed
        self.configure = configure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        var bytes = buffered ?? ByteBuffer()
        bytes.writeBuffer(&incoming)
        guard let choice = classify(bytes.readableBytesView) else {
            buffered = bytes
            return
        }
        buffered = nil
        do {
            try configure(context, choice)
        } catch {
            context.close(promise: nil)
            return
        }
        bytes.moveReaderIndex(forwardBy: consumed(choice))
        if bytes.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(bytes)) }
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffered = nil
        context.fireChannelInactive()
    }
}

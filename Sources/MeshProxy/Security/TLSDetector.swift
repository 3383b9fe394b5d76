import NIOCore

/// The first handler of a PERMISSIVE inbound connection: looks at the first bytes for a TLS handshake record
/// (content type 22, version major 3, as Envoy's tls_inspector does) and sets up mTLS or plain text, then
/// passes the bytes on and steps aside.
final class TLSDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// What the first bytes say.
    enum Verdict: Equatable {
        case tls
        case plaintext
        case needMoreBytes
    }

    private var buffered: ByteBuffer?
    private let configure: (ChannelHandlerContext, Bool) throws -> Void

    /// `configure(context, isTLS)` adds the handlers for the detected transport after this one.
    init(configure: @escaping (ChannelHandlerContext, Bool) throws -> Void) {
        self.configure = configure
    }

    /// Classifies the first bytes of a connection.
    static func classify(_ bytes: ByteBufferView) -> Verdict {
        guard let first = bytes.first else { return .needMoreBytes }
        guard first == 0x16 else { return .plaintext }
        guard bytes.count >= 2 else { return .needMoreBytes }
        return bytes[bytes.index(after: bytes.startIndex)] == 0x03 ? .tls : .plaintext
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var buffered {
            buffered.writeBuffer(&incoming)
            self.buffered = buffered
        } else {
            buffered = incoming
        }
        let verdict = Self.classify(buffered!.readableBytesView)
        guard verdict != .needMoreBytes else { return }
        do {
            try configure(context, verdict == .tls)
        } catch {
            context.close(promise: nil)
            return
        }
        let bytes = buffered!
        buffered = nil
        context.fireChannelRead(wrapInboundOut(bytes))
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffered = nil
        context.fireChannelInactive()
    }
}

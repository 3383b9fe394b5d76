import NIOCore

/// The first handler of a plaintext HTTP connection: looks at the first bytes and sets up HTTP/2 (the
/// client sent the prior-knowledge preface `PRI * HTTP/2.0`) or HTTP/1.1, then steps aside.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The HTTP/2 connection preface (RFC 9113 §3.4).
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// What the bytes say.
    enum Verdict: Equatable {
        case http1
        case http2
        case needMoreBytes
    }

    private var buffered: ByteBuffer?
    private let configure: (ChannelHandlerContext, Verdict) throws -> Void

    /// `configure` adds the chosen protocol's handlers after this one.
    init(configure: @escaping (ChannelHandlerContext, Verdict) throws -> Void) {
        self.configure = configure
    }

    /// Classifies the first bytes of a connection.
    static func classify(_ bytes: ByteBufferView) -> Verdict {
        let count = min(bytes.count, preface.count)
        var index = bytes.startIndex
        for position in 0..<count {
            if bytes[index] != preface[position] { return .http1 }
            index = bytes.index(after: index)
        }
        return count == preface.count ? .http2 : .needMoreBytes
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
            try configure(context, verdict)
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

import NIOCore
import NIOSSL
import NIOTLS

/// Waits for the TLS handshake and sets up the protocol ALPN chose (`h2`, else HTTP/1.1), then steps aside.
final class ALPNSelector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let configure: (ChannelHandlerContext, String?) throws -> Void

    init(configure: @escaping (ChannelHandlerContext, String?) throws -> Void) {
        self.configure = configure
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = event {
            do {
                try configure(context, negotiated)
            } catch {
                context.close(promise: nil)
                return
            }
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

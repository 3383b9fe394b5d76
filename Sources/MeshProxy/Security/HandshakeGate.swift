import NIOCore
import NIOTLS

/// Waits for the TLS handshake of a TCP connection, then calls `onHandshake` once with the ALPN protocol it
/// negotiated (the peer identity is known by then), which adds the splice end after this handler or closes the
/// connection. Until then nothing after it holds reads back, so the handshake proceeds; afterwards it passes
/// everything through.
final class HandshakeGate: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private var handshaken = false
    private let onHandshake: (ChannelHandlerContext, String?) -> Void

    init(onHandshake: @escaping (ChannelHandlerContext, String?) -> Void) {
        self.onHandshake = onHandshake
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !handshaken, let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted(let protocolName) = tlsEvent {
            handshaken = true
            onHandshake(context, protocolName)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

import NIOCore
import NIOSSL
import NIOTLS

/// Closes a downstream TLS connection whose client certificate carries none of the allowed SANs (SPIFFE
/// identities of the permitted service accounts). The chain was already verified by BoringSSL.
final class ClientIdentityCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let allowedSANs: [String]

    init(allowedSANs: [String]) {
        self.allowedSANs = allowedSANs
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            guard let certificate = handler?.peerCertificate,
                TLSPeerVerifier.carriesAllowedSAN(certificate, allowed: allowedSANs)
            else {
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }
}

import NIOCore
import NIOSSL
import NIOTLS

/// Completes `verified` once the TLS handshake is done and the peer certificate carries one of the allowed
/// SANs (URI SANs such as SPIFFE ids, or DNS names); closes the channel otherwise. The chain itself is checked
/// by BoringSSL against the configured CA before this runs.
final class TLSPeerVerifier: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let allowedSANs: [String]
    private var promise: EventLoopPromise<Void>?

    init(allowedSANs: [String]) {
        self.allowedSANs = allowedSANs
    }

    /// Succeeds once the peer is verified (set when the handler is added).
    private(set) var verified: EventLoopFuture<Void>?

    func handlerAdded(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        self.promise = promise
        self.verified = promise.futureResult
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise?.fail(ChannelError.ioOnClosedChannel)
        promise = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            let sslHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)
            let certificate = sslHandler?.peerCertificate
            if allowedSANs.isEmpty || certificate.map({ Self.carriesAllowedSAN($0, allowed: allowedSANs) }) == true {
                promise?.succeed()
                promise = nil
            } else {
                let error = ProxyError(.startup, "the upstream certificate carries none of the SANs \(allowedSANs)")
                promise?.fail(error)
                promise = nil
                context.fireErrorCaught(error)
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise?.fail(error)
        promise = nil
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise?.fail(ChannelError.ioOnClosedChannel)
        promise = nil
        context.fireChannelInactive()
    }

    /// Whether one URI or DNS SAN of `certificate` is in `allowed`.
    static func carriesAllowedSAN(_ certificate: NIOSSLCertificate, allowed: [String]) -> Bool {
        for name in certificate._subjectAlternativeNames() {
            switch name.nameType {
            case .uri, .dnsName:
                let text = String(decoding: name.contents, as: UTF8.self)
                if allowed.contains(text) { return true }
            default:
                continue
            }
        }
        return false
    }
}

import NIOCore
import NIOSSL

/// The authenticated peer of a downstream TLS connection: the SPIFFE id (URI SAN) of its client certificate,
/// which becomes `source.principal` for authorization.
enum PeerIdentity {
    /// The first `spiffe://` URI SAN of the client certificate, once the handshake is done; `nil` for plain
    /// text, no client certificate, or a certificate without a SPIFFE id.
    static func principal(in pipeline: ChannelPipeline.SynchronousOperations) -> String? {
        guard let handler = try? pipeline.handler(type: NIOSSLServerHandler.self),
            let certificate = handler.peerCertificate
        else { return nil }
        return spiffeID(of: certificate)
    }

    /// The first `spiffe://` URI SAN of `certificate`.
    static func spiffeID(of certificate: NIOSSLCertificate) -> String? {
        for name in certificate._subjectAlternativeNames() {
            guard case .uri = name.nameType else { continue }
            let text = String(decoding: name.contents, as: UTF8.self)
            if text.hasPrefix("spiffe://") { return text }
        }
        return nil
    }
}

import NIOCore
import NIOSSL

/// What authorization needs to know about a downstream connection, taken once when its protocol is set up:
/// both addresses, the port the workload is addressed on, whether it is TLS, and the mTLS peer's SPIFFE id and
/// certificate.
struct ConnectionInfo: Sendable {
    /// The client's IP (`source.ip`).
    var clientAddress: String
    /// The client's and the local socket's ports (the access log prints `ip:port`).
    var clientPort: Int?
    var localPort: Int?
    /// The local IP the client connected to (`destination.ip`).
    var localAddress: String?
    /// The workload port (`destination.port`): the listener's `targetPort`, else the bound port.
    var port: Int?
    /// The authenticated peer (`source.principal`), when the connection is mutual TLS.
    var principal: String?
    /// Whether the connection is TLS (Envoy sets `x-forwarded-proto` from this).
    var secure = false
    /// The mTLS peer's certificate, read only where `x-forwarded-client-cert` needs it.
    var peerCertificate: PeerCertificate?

    /// Reads the addresses of `channel` and the peer identity of its TLS handler, if any.
    static func of(_ channel: any Channel, listener: ListenerRuntime) -> ConnectionInfo {
        let tls = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        let certificate = tls?.peerCertificate
        let wantsDetails = listener.forwarding.clientCert != .sanitize && listener.config.protocol == .http
        return ConnectionInfo(
            clientAddress: channel.remoteAddress?.ipAddress ?? "127.0.0.1",
            clientPort: channel.remoteAddress?.port, localPort: channel.localAddress?.port,
            localAddress: channel.localAddress?.ipAddress,
            port: listener.config.targetPort ?? channel.localAddress?.port,
            principal: certificate.flatMap(PeerIdentity.spiffeID(of:)),
            secure: tls != nil,
            peerCertificate: wantsDetails ? certificate.flatMap(PeerCertificate.of) : nil)
    }

    /// Both socket addresses with their ports: tells this connection from others of the same client.
    var socketPair: String { "\(clientAddress):\(clientPort ?? 0)-\(localAddress ?? ""):\(localPort ?? 0)" }
}

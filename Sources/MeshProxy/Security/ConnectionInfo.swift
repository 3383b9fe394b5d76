import NIOCore

/// What authorization needs to know about a downstream connection, taken once when its protocol is set up:
/// both addresses, the port the workload is addressed on, and the mTLS peer's SPIFFE id.
struct ConnectionInfo: Sendable {
    /// The client's IP (`source.ip`).
    var clientAddress: String
    /// The local IP the client connected to (`destination.ip`).
    var localAddress: String?
    /// The workload port (`destination.port`): the listener's `targetPort`, else the bound port.
    var port: Int?
    /// The authenticated peer (`source.principal`), when the connection is mutual TLS.
    var principal: String?

    /// Reads the addresses of `channel` and the peer identity of its TLS handler, if any.
    static func of(_ channel: any Channel, listener: ListenerRuntime) -> ConnectionInfo {
        ConnectionInfo(
            clientAddress: channel.remoteAddress?.ipAddress ?? "127.0.0.1",
            localAddress: channel.localAddress?.ipAddress,
            port: listener.config.targetPort ?? channel.localAddress?.port,
            principal: PeerIdentity.principal(in: channel.pipeline.syncOperations))
    }
}

import NIOCore

/// Istio's TCP metadata exchange (`PeerExchangeFrame`) on a connection whose TLS handshake negotiated
/// `istio-peer-exchange`: our frame goes out at once, then the peer's is read and taken off the stream before
/// `then` adds the splice end, which gets the bytes that came after the frame. A refused frame, or none within
/// the header timeout, closes the connection and is counted in /stats.
enum PeerExchange {
    /// Waits for the TLS handshake of a TCP connection (either end). When it negotiated the exchange, the frames
    /// are swapped; `then` gets the channel and the peer's metadata (`nil` without the exchange). Whatever fails
    /// closes the connection; a refused frame also calls `refused` at once (the TLS close may wait for the peer).
    static func gate(
        runtime: ProxyRuntime, refused: @escaping () -> Void = {}, then: @escaping (any Channel, PeerMetadata?) throws -> Void
    ) -> HandshakeGate {
        HandshakeGate { context, protocolName in
            do {
                guard protocolName == PeerExchangeFrame.protocolName else {
                    try then(context.channel, nil)
                    return
                }
                try start(context.channel, runtime: runtime, refused: refused, then: then)
            } catch {
                context.close(promise: nil)
            }
        }
    }

    /// Sends our frame and reads the peer's; a peer silent past `limits.headerTimeout` counts as no frame.
    private static func start(
        _ channel: any Channel, runtime: ProxyRuntime, refused: @escaping () -> Void,
        then: @escaping (any Channel, PeerMetadata?) throws -> Void
    ) throws {
        let stats = runtime.stats
        stats.peerExchangeFound.add(1, ordering: .relaxed)
        let timeout = channel.eventLoop.assumeIsolated().scheduleTask(in: runtime.config.limits.headerTimeout.timeAmount) {
            stats.peerExchangeBadMagic.add(1, ordering: .relaxed)
            refused()
            channel.close(promise: nil)
        }
        channel.closeFuture.whenComplete { _ in timeout.cancel() }
        let reader = FirstBytesRouter<PeerExchangeFrame.Parse>(
            classify: { bytes in
                let parse = PeerExchangeFrame.parse(bytes)
                switch parse {
                case .needMoreBytes: return nil
                case .frame: break
                case .refused(.badMagic): stats.peerExchangeBadMagic.add(1, ordering: .relaxed)
                case .refused(.malformed): stats.peerExchangeMalformed.add(1, ordering: .relaxed)
                case .refused(.tooLarge): stats.peerExchangeTooLarge.add(1, ordering: .relaxed)
                }
                return parse
            },
            consumed: { parse in
                guard case .frame(_, let length) = parse else { return 0 }
                return length
            },
            configure: { context, parse in
                timeout.cancel()
                guard case .frame(let peer, _) = parse else {
                    refused()
                    throw Refused()
                }
                try then(context.channel, peer)
            })
        try channel.pipeline.syncOperations.addHandler(reader)
        channel.writeAndFlush(ByteBuffer(bytes: runtime.peerExchangeFrame), promise: nil)
    }

    /// The peer's frame was refused: the reader closes the connection.
    private struct Refused: Error {}
}

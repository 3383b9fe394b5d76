import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// The upstream accepted an upgrade (101, e.g. websocket): pass the 101 on; once its (empty) end arrives,
    /// both connections drop their HTTP codecs and splice raw bytes (`finishUpgrade`).
    func switchToTunnel(_ head: HTTPResponseHead) {
        guard let exchange else { return }
        exchange.perTryTimeout?.cancel()
        exchange.perTryTimeout = nil
        exchange.timeout?.cancel()
        exchange.timeout = nil
        runtime.stats.websocketUpgrades.add(1, ordering: .relaxed)
        var response = head
        HeaderPolicy.stripHopByHop(&response.headers, keepUpgrade: true)
        sendAndFlush(.head(response))
    }

    /// Replaces the HTTP handlers of both channels by a splice, on the next loop tick (outside the decoders'
    /// callbacks).
    ///
    /// Bytes may already sit behind either head: the client's first frames in the packet of its upgrade
    /// request, the upstream's in the packet of its 101. The HTTP decoders keep those (they stop parsing at an
    /// upgrade) and forward them (`leftOverBytesStrategy: .forwardBytes`) when they are removed, which
    /// completes a tick later than the other removals. So the splice ends are added first, at the tail; they
    /// keep what reaches them, and are paired — their early bytes written and flushed to the other side —
    /// only once both decoders are gone. Until then they don't read, so nothing else can overtake those bytes.
    func finishUpgrade(_ connection: UpstreamConnection) {
        guard let context else { return }
        upgraded = true
        let handedOver = connection.handOverToTunnel()
        context.eventLoop.assumeIsolated().execute { [self] in
            guard handedOver, let upstreamChannel = connection.channel, let context = self.context,
                context.channel.isActive
            else {
                self.context?.close(promise: nil)
                connection.close()
                return
            }
            let downstream = context.pipeline.syncOperations
            let upstream = upstreamChannel.pipeline.syncOperations
            let downstreamEnd = SpliceHandler()
            let upstreamEnd = SpliceHandler()
            if let exchange {
                release(exchange)
                runtime.stats.downstreamRqActive.subtract(1, ordering: .relaxed)
                runtime.stats.recordResponse(status: 101, micros: Int((NIODeadline.now() - exchange.start).nanoseconds / 1000))
                self.exchange = nil
            }
            do {
                try downstream.addHandler(downstreamEnd)
                try upstream.addHandler(upstreamEnd)
                let pipelining = try downstream.handler(type: HTTPServerPipelineHandler.self)
                let errors = try downstream.handler(type: BadRequestHandler.self)
                let encoder = try downstream.handler(type: HTTPResponseEncoder.self)
                let decoder = try downstream.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                let requestEncoder = try upstream.handler(type: HTTPRequestEncoder.self)
                let responseDecoder = try upstream.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
                let validator = try? upstream.handler(type: NIOHTTPRequestHeadersValidator.self)

                let downstreamDecoderGone = context.eventLoop.makePromise(of: Void.self)
                let upstreamDecoderGone = context.eventLoop.makePromise(of: Void.self)
                downstreamDecoderGone.futureResult.and(upstreamDecoderGone.futureResult)
                    .assumeIsolated().whenComplete { result in
                        switch result {
                        case .success: SpliceHandler.pair(downstreamEnd, upstreamEnd)
                        case .failure:
                            context.channel.close(promise: nil)
                            upstreamChannel.close(promise: nil)
                        }
                    }
                // Application handlers first (the pipelining handler releases the read it held back), codecs last.
                downstream.removeHandler(self, promise: nil)
                downstream.removeHandler(errors, promise: nil)
                downstream.removeHandler(pipelining, promise: nil)
                downstream.removeHandler(encoder, promise: nil)
                downstream.removeHandler(decoder, promise: downstreamDecoderGone)
                upstream.removeHandler(connection, promise: nil)
                if let validator { upstream.removeHandler(validator, promise: nil) }
                upstream.removeHandler(requestEncoder, promise: nil)
                upstream.removeHandler(responseDecoder, promise: upstreamDecoderGone)
            } catch {
                context.channel.close(promise: nil)
                upstreamChannel.close(promise: nil)
            }
        }
    }
}

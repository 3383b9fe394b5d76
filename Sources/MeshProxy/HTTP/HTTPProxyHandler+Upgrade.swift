import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// The upstream accepted an upgrade (101, e.g. websocket): pass the 101 on; once its (empty) end arrives,
    /// both connections drop their HTTP codecs and splice raw bytes (`finishUpgrade`).
    func switchToTunnel(_ head: HTTPResponseHead, context: ChannelHandlerContext) {
        guard var exchange else { return }
        exchange.perTryTimeout?.cancel()
        exchange.perTryTimeout = nil
        exchange.timeout?.cancel()
        exchange.timeout = nil
        exchange.responseStarted = true
        exchange.status = 101
        self.exchange = exchange
        runtime.stats.websocketUpgrades.add(1, ordering: .relaxed)
        var response = head
        HeaderPolicy.stripHopByHop(&response.headers, keepUpgrade: true)
        context.writeAndFlush(wrapOutboundOut(.head(response)), promise: nil)
    }

    /// Replaces the HTTP handlers of both channels by a splice. Runs on the next loop tick, outside the
    /// decoders' callbacks; bytes that already followed the heads are forwarded by the decoders on removal.
    func finishUpgrade(_ connection: UpstreamConnection) {
        guard let context else { return }
        upgraded = true
        connection.owner = nil
        context.eventLoop.assumeIsolated().execute { [self] in
            guard let upstreamChannel = connection.channel, let context = self.context else {
                self.context?.close(promise: nil)
                connection.close()
                return
            }
            let downstream = context.pipeline.syncOperations
            let upstream = upstreamChannel.pipeline.syncOperations
            let downstreamEnd = SpliceHandler()
            let upstreamEnd = SpliceHandler()
            do {
                try downstream.addHandler(downstreamEnd)
                try upstream.addHandler(upstreamEnd)
                if let exchange {
                    release(exchange)
                    runtime.stats.downstreamRqActive.subtract(1, ordering: .relaxed)
                    runtime.stats.recordResponse(status: 101, micros: Int((NIODeadline.now() - exchange.start).nanoseconds / 1000))
                    self.exchange = nil
                }
                let pipelining = try downstream.handler(type: HTTPServerPipelineHandler.self)
                let errors = try downstream.handler(type: BadRequestHandler.self)
                let encoder = try downstream.handler(type: HTTPResponseEncoder.self)
                let decoder = try downstream.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                let requestEncoder = try upstream.handler(type: HTTPRequestEncoder.self)
                let responseDecoder = try upstream.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
                downstream.removeHandler(pipelining, promise: nil)
                downstream.removeHandler(errors, promise: nil)
                downstream.removeHandler(encoder, promise: nil)
                upstream.removeHandler(connection, promise: nil)
                upstream.removeHandler(requestEncoder, promise: nil)
                if let validator = try? upstream.handler(type: NIOHTTPRequestHeadersValidator.self) {
                    upstream.removeHandler(validator, promise: nil)
                }
                // Bytes that followed the heads go to the splice ends, which keep them until they are paired.
                upstream.removeHandler(responseDecoder, promise: nil)
                downstream.removeHandler(self, promise: nil)
                downstream.removeHandler(decoder, promise: nil)
                SpliceHandler.pair(downstreamEnd, upstreamEnd)
            } catch {
                context.close(promise: nil)
                upstreamChannel.close(promise: nil)
            }
        }
    }
}

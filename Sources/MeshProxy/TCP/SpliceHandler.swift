import NIOCore

/// One end of a TCP splice: bytes read here are written to the partner channel (on the same event loop),
/// reads wait while the partner's send buffer is full, FIN is passed on as a half-close, and either side
/// closing closes the other.
final class SpliceHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var state = SpliceState()
    private var partner: SpliceHandler?
    private var context: ChannelHandlerContext?
    /// Bytes read before the partner was joined (leftovers of a protocol switch); sent on pairing.
    private var early: [NIOAny] = []
    /// Bytes read on this end so far (for Istio's TCP metrics).
    private(set) var bytesRead = 0
    /// Bandwidth limits on what this end reads (its own bucket and its listener's), if any. Bytes over the
    /// limit wait in `throttled` and go to the partner as the buckets allow; meanwhile no more is read (so at
    /// most one read's worth waits), and a FIN waits behind them (`finWaiting`).
    private let buckets: [ByteBucket]
    private var throttled: [ByteBuffer] = []
    private var releaseScheduled = false
    private var heldRead = false
    private var finWaiting = false
    /// Bytes released at a time: a tenth of the lowest rate, so the pacing stays smooth.
    private let releaseChunk: Int

    init(buckets: [ByteBucket] = []) {
        self.buckets = buckets
        self.releaseChunk = max(1024, (buckets.map(\.bytesPerSecond).min() ?? 0) / 10)
    }

    /// Joins two ends; both must belong to channels of the same event loop. Bytes each end read before (the
    /// leftovers of a protocol switch) are written and flushed to the other first. If either channel closed
    /// before pairing, both are closed: an end that closed alone would never tell its partner.
    static func pair(_ a: SpliceHandler, _ b: SpliceHandler) {
        guard a.isActive, b.isActive else {
            a.early.removeAll()
            b.early.removeAll()
            a.context?.close(promise: nil)
            b.context?.close(promise: nil)
            return
        }
        a.partner = b
        b.partner = a
        a.sendEarlyBytes()
        b.sendEarlyBytes()
        a.apply(a.state.pairedWithPartner())
        b.apply(b.state.pairedWithPartner())
    }

    private var isActive: Bool { context?.channel.isActive ?? false }

    private func sendEarlyBytes() {
        guard !early.isEmpty, let target = partner?.context else { return }
        for data in early { target.write(data, promise: nil) }
        early.removeAll()
        target.flush()
    }

    private var isWritable: Bool { context?.channel.isWritable ?? false }

    private func apply(_ action: SpliceState.Action) {
        guard let context else { return }
        switch action {
        case .none: break
        case .read: context.read()
        case .shutdownPartnerOutput: partner?.shutdownOutput()
        case .close: context.close(promise: nil)
        }
    }

    private func shutdownOutput() {
        guard let context else { return }
        context.flush()
        context.close(mode: .output, promise: nil)
        apply(state.outputShut())
    }

    private func partnerClosed() {
        partner = nil
        context?.close(promise: nil)
    }

    // MARK: Pipeline

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        bytesRead += count
        if !buckets.isEmpty, partner != nil {
            throttled.append(unwrapInboundIn(data))
            release()
            return
        }
        guard let partner else {
            early.append(data)
            return
        }
        partner.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func read(context: ChannelHandlerContext) {
        if !throttled.isEmpty || releaseScheduled {
            heldRead = true
            return
        }
        apply(state.readRequested(partnerWritable: partner?.isWritable ?? false))
    }

    /// Passes waiting bytes to the partner, a chunk at a time, each charged to the buckets; when they are in
    /// debt, the rest waits for the pause they ask for. Once all is passed on, a held read or FIN proceeds.
    private func release() {
        guard !releaseScheduled, let context else { return }
        while !throttled.isEmpty {
            guard let target = partner?.context else {
                throttled.removeAll()
                return
            }
            let chunk = throttled[0].readSlice(length: min(releaseChunk, throttled[0].readableBytes))!
            if throttled[0].readableBytes == 0 { throttled.removeFirst() }
            let now = NIODeadline.now().uptimeNanoseconds.clampedToInt64
            let pause = buckets.map { $0.take(chunk.readableBytes, now: now) }.max() ?? 0
            target.writeAndFlush(NIOAny(chunk), promise: nil)
            if pause > 0 {
                releaseScheduled = true
                context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(pause)) { [self] in
                    releaseScheduled = false
                    release()
                }
                return
            }
        }
        if finWaiting {
            finWaiting = false
            apply(state.peerClosedInput())
            if state.isDone { context.close(promise: nil) }
        } else if heldRead {
            heldRead = false
            read(context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let partner { partner.apply(partner.state.partnerBecameWritable()) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            if !throttled.isEmpty || releaseScheduled {
                finWaiting = true
                return
            }
            apply(state.peerClosedInput())
            if state.isDone { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let partner = self.partner
        self.partner = nil
        if let partner, let target = partner.context, !throttled.isEmpty {
            // Bytes still paced when this side closed: they go now, and the partner closes once they are out.
            let written = context.eventLoop.makePromise(of: Void.self)
            for (index, chunk) in throttled.enumerated() {
                target.write(NIOAny(chunk), promise: index == throttled.count - 1 ? written : nil)
            }
            throttled.removeAll()
            target.flush()
            written.futureResult.assumeIsolated().whenComplete { _ in partner.partnerClosed() }
        } else {
            partner?.partnerClosed()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}


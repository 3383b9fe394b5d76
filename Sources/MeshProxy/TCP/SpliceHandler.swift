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
    init() {}

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
        bytesRead += unwrapInboundIn(data).readableBytes
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
        apply(state.readRequested(partnerWritable: partner?.isWritable ?? false))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let partner { partner.apply(partner.state.partnerBecameWritable()) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            apply(state.peerClosedInput())
            if state.isDone { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let partner = self.partner
        self.partner = nil
        partner?.partnerClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}


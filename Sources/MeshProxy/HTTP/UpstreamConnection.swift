import NIOCore
import NIOHTTP1

/// The last handler of an upstream HTTP/1.1 connection: hands response parts to the downstream exchange that
/// leases it, and holds back reads while that downstream can't take more (backpressure).
final class UpstreamConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let endpoint: EndpointRuntime
    let cluster: ClusterRuntime
    let loop: LoopState
    /// The exchange using the connection; `nil` while idle.
    var owner: HTTPProxyHandler?
    /// Whether it sits in the idle pool.
    var isIdle = false
    /// Requests sent over it (for `maxRequestsPerConnection`).
    var requestsServed = 0
    /// Whether the last response allows another request on the connection.
    var keepAliveAllowed = true
    private var context: ChannelHandlerContext?
    private var readPending = false
    private var closed = false
    /// Set when the channel was handed to a splice (see `handOverToTunnel`).
    private var tunnelled = false
    /// An HTTP/2 stream rather than a connection: used for one request, never pooled, and not counted as a
    /// connection (its `UpstreamHTTP2Session` is).
    let isStream: Bool

    init(endpoint: EndpointRuntime, cluster: ClusterRuntime, loop: LoopState, isStream: Bool = false) {
        self.endpoint = endpoint
        self.cluster = cluster
        self.loop = loop
        self.isStream = isStream
    }

    /// The channel, while the handler is in its pipeline.
    var channel: (any Channel)? { context?.channel }

    var isActive: Bool { !closed && (context?.channel.isActive ?? false) }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if !isStream { cluster.stats.upstreamCxTotal.add(1, ordering: .relaxed) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        guard tunnelled, !closed else { return }
        // Removed from a live channel for a protocol switch: the channel stays a connection of the cluster
        // (and counts against its circuit breaker) until it closes.
        let cluster = self.cluster
        let loop = self.loop
        context.channel.closeFuture.assumeIsolated().whenComplete { _ in
            cluster.stats.upstreamCxActive.subtract(1, ordering: .relaxed)
            loop.slotFreed(in: cluster)
        }
    }

    /// Leaves the pool for good: the channel is about to become one end of a splice (an accepted upgrade).
    /// Returns false when the connection is already closed.
    func handOverToTunnel() -> Bool {
        guard !closed, context?.channel.isActive == true else { return false }
        owner = nil
        tunnelled = true
        return true
    }

    // MARK: Requests (called by the owner on the same loop)

    @inline(__always)
    func write(_ part: HTTPClientRequestPart) {
        context?.write(wrapOutboundOut(part), promise: nil)
    }

    @inline(__always)
    func flush() {
        context?.flush()
    }

    /// Asks for more response data after the downstream drained.
    func resumeReading() {
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        context?.close(promise: nil)
    }

    // MARK: Pipeline events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, head.status.code >= 200 { keepAliveAllowed = head.isKeepAlive }
        guard let owner else {
            // Data on an idle connection (or after the exchange left): the connection can't be trusted.
            close()
            return
        }
        owner.upstreamRead(part, from: self)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        owner?.upstreamReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if let owner, !owner.downstreamWritable {
            readPending = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { owner?.upstreamBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    /// `upstreamCxActive` was counted when the connect started (it is the circuit breaker's connection count).
    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        if !isStream { cluster.stats.upstreamCxActive.subtract(1, ordering: .relaxed) }
        if isIdle { loop.removeIdle(self) }
        if let owner {
            self.owner = nil
            owner.upstreamClosed(self)
        }
        if !isStream { loop.slotFreed(in: cluster) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close()
    }
}

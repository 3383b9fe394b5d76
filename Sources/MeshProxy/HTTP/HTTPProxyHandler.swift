import NIOCore
import NIOHTTP1

/// Serves one downstream HTTP/1.1 connection or one HTTP/2 stream: routes each request, forwards it over a
/// pooled upstream HTTP/1.1 connection of the same event loop, and streams the response back, with
/// backpressure both ways (reads are held while the other side can't take more).
final class HTTPProxyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The config this connection runs under; a reload moves it to the newer one between requests.
    private(set) var runtime: ProxyRuntime
    private(set) var listener: ListenerRuntime
    private(set) var loop: LoopState
    let isHTTP2: Bool
    /// Where the response goes: the HTTP/1 pipeline (or a stream channel in tests), or an HTTP/2 stream.
    var downstream: Downstream?
    var exchange: Exchange?
    /// Bumped per request and per try; completions of an older try are ignored.
    var generation = 0
    var readPending = false
    var closing = false
    var clientAddress = ""
    var lastActivity = NIODeadline.now()
    var idleTimer: Scheduled<Void>?
    /// Set when the connection was upgraded (websocket) and now splices raw bytes.
    var upgraded = false
    /// Request heads received on this connection.
    var requestsSeen = 0
    /// Istio metric labels of the current request, its response flags (Envoy's `%RESPONSE_FLAGS%`), response
    /// body bytes and gRPC status.
    var metricLabels = IstioMetrics.Labels()
    /// The labels and series of the connection's last request (shared by the streams of an HTTP/2 connection).
    let metricsCache: RequestMetricsCache
    /// The proxy's span of the current request.
    var activeSpan: ActiveSpan?
    var responseFlags = "-"
    var responseBytes = 0
    var grpcStatus = ""
    /// Whether the current request carried a peer's metadata (the response then carries ours), and the last
    /// metadata header decoded on this connection.
    var peerAsked = false
    var peerCache: (value: String, metadata: PeerMetadata?)?
    /// The HTTP version of the current downstream request (responses use it).
    var requestVersion: HTTPVersion = .http1_1
    /// The current request's access log line, while the access log is on.
    var accessEntry: AccessLogEntry?
    /// The current request while a CUSTOM policy's ext-authz provider is asked about it.
    var pendingExtAuthz: PendingExtAuthz?

    /// The downstream connection's addresses and mTLS peer (for authorization).
    let connection: ConnectionInfo

    /// `connection` and `metricsCache` are made once per downstream connection (HTTP/2: shared by all its streams).
    init(
        runtime: ProxyRuntime, listener: ListenerRuntime, loop: LoopState, isHTTP2: Bool,
        connection: ConnectionInfo = ConnectionInfo(clientAddress: "127.0.0.1"),
        metricsCache: RequestMetricsCache = RequestMetricsCache()
    ) {
        self.runtime = runtime
        self.listener = listener
        self.loop = loop
        self.isHTTP2 = isHTTP2
        self.connection = connection
        self.metricsCache = metricsCache
        self.clientAddress = connection.clientAddress
    }


    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.downstream = .pipeline(context)
        // HTTP/2 streams are drained by their connection (GOAWAY), so only HTTP/1 connections register.
        if !isHTTP2 {
            loop.register(self)
            runtime.stats.downstreamCxTotal.add(1, ordering: .relaxed)
            runtime.stats.downstreamCxActive.add(1, ordering: .relaxed)
            scheduleIdleCheck(after: runtime.config.limits.headerTimeout)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        teardown()
        self.downstream = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        teardown()
        context.fireChannelInactive()
    }

    private var tornDown = false

    func teardown() {
        guard !tornDown else { return }
        tornDown = true
        closing = true
        idleTimer?.cancel()
        idleTimer = nil
        if exchange != nil { abandonExchange() }
        if pendingExtAuthz != nil { abandonExtAuthz() }
        if !isHTTP2 {
            loop.unregister(self)
            let stats = runtime.stats
            if upgraded, let channel = context?.channel, channel.isActive {
                // Removed for a splice (websocket): the connection stays active until it closes.
                channel.closeFuture.whenComplete { _ in stats.downstreamCxActive.subtract(1, ordering: .relaxed) }
            } else {
                stats.downstreamCxActive.subtract(1, ordering: .relaxed)
            }
        }
    }

    /// Closes the connection once it is idle (graceful shutdown).
    func drain() {
        guard let context else { return }  // HTTP/1 only: HTTP/2 connections drain with GOAWAY
        if exchange == nil && pendingExtAuthz == nil {
            if isHTTP2 { return }  // the HTTP/2 connection handler sends GOAWAY when the parent closes
            closing = true
            context.close(promise: nil)
        } else {
            exchange?.keepAlive = false
        }
    }

    // MARK: Config reload

    /// Moves this connection to the newest config when a reload replaced its own. Returns false when it can't
    /// follow (its listener is gone, or now speaks another transport): the connection must close after the
    /// current request, as Envoy drains the connections of a listener that changed.
    func adoptLatestConfig() -> Bool {
        guard runtime.isSuperseded, let eventLoop = downstreamEventLoop else { return true }
        let latest = runtime.latest
        guard let next = latest.listener(named: listener.config.name), next.canServeConnections(of: listener) else {
            return false
        }
        if !isHTTP2 { loop.unregister(self) }
        runtime = latest
        listener = next
        loop = latest.loopState(for: eventLoop)
        if !isHTTP2 { loop.register(self) }
        return true
    }

    /// A reload replaced the config (called on this loop): an idle connection moves over now, or closes if it
    /// can't; a busy one moves when its request ends.
    func configReplaced() {
        guard exchange == nil, pendingExtAuthz == nil, !closing, !upgraded, downstream != nil else { return }
        if !adoptLatestConfig() && !isHTTP2 {
            closing = true
            closeDownstream()
        }
    }

    // MARK: Downstream reads

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead(head)
        case .body(let buffer):
            requestBody(buffer)
        case .end(let trailers):
            requestEnd(trailers)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        exchange?.upstream?.flush()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if mayRead() { context.read() }
    }

    /// Whether more of the request may be read now. Not while an ext-authz provider is being asked or the body's
    /// upstream can't take more: the read is then held (`readPending`) until `resumeDownstreamReads`.
    func mayRead() -> Bool {
        let holds = pendingExtAuthz?.holdsReads == true
            || (exchange.map { !$0.machine.requestEnded && !($0.upstream?.isWritable ?? false) } ?? false)
        if holds { readPending = true }
        return !holds
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { downstreamBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    /// The upstream can take more request body: read again if a read was held back.
    func upstreamBecameWritable() {
        resumeDownstreamReads()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            runtime.stats.downstreamRqBadRequest.add(1, ordering: .relaxed)
        }
        // Malformed input or a broken connection: whatever is in flight can't be trusted. For malformed input
        // the BadRequestHandler before us answers 400 and closes the connection gracefully.
        abandonExchange()
        closing = true
        if !(error is HTTPParserError) {
            context.close(promise: nil)
        }
    }

    // MARK: Idle timeout

    /// How long the connection may go without a request: a new one must send its first head within
    /// `headerTimeout`; between requests a keep-alive connection may idle for `idleTimeout`.
    private var currentIdleLimit: Duration {
        let limits = runtime.config.limits
        return requestsSeen == 0 ? limits.headerTimeout : limits.idleTimeout
    }

    private func scheduleIdleCheck(after delay: Duration) {
        guard let context else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay.timeAmount) { [self] in
            idleTimer = nil
            guard let context = self.context, !closing else { return }
            let timeout = currentIdleLimit
            if exchange != nil || pendingExtAuthz != nil {
                scheduleIdleCheck(after: timeout)
                return
            }
            let idleFor = NIODeadline.now() - lastActivity
            if idleFor >= timeout.timeAmount {
                closing = true
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(after: .nanoseconds((timeout.timeAmount - idleFor).nanoseconds))
            }
        }
    }
}

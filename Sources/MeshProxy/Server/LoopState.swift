import NIOCore

/// What one event loop owns: idle upstream connections, requests waiting for a connection, the downstream
/// connections it serves (for draining) and a fast random generator. Only touched on its own loop, so no locks.
final class LoopState: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// Idle keep-alive upstream connections by endpoint id (a stack: the most recently used is warmest).
    private var idle: [Int: [UpstreamConnection]] = [:]
    /// HTTP/2 connections by endpoint id, shared by this loop's requests.
    private var http2Sessions: [Int: UpstreamHTTP2Session] = [:]
    /// Requests waiting for a connection slot, by cluster.
    private var waiters: [ObjectIdentifier: [HTTPProxyHandler]] = [:]
    /// Downstream HTTP handlers alive on this loop.
    private var downstream: [ObjectIdentifier: HTTPProxyHandler] = [:]
    /// Downstream HTTP/2 connections on this loop, with the listener that accepted them.
    private var http2Downstream: [ObjectIdentifier: (connection: HTTP2Downstream, listener: ListenerRuntime)] = [:]
    private var random: SplitMix64
    /// Whether the proxy is draining (set on shutdown).
    private(set) var draining = false
    /// Whether a config reload replaced the runtime this state belongs to: connections are no longer pooled.
    private(set) var retired = false

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        var system = SystemRandomNumberGenerator()
        self.random = SplitMix64(seed: system.next())
    }

    @inline(__always)
    func nextRandom() -> UInt64 { random.next() }

    // MARK: Upstream pool

    /// An idle connection to `endpoint`, if one is open.
    func takeIdle(_ endpoint: EndpointRuntime) -> UpstreamConnection? {
        // Popped in place: a copy of the stack taken out of the dictionary would be copied again on mutation.
        guard let connection = idle[endpoint.id]?.popLast() else { return nil }
        connection.isIdle = false
        return connection
    }

    /// Returns a finished connection: it serves a waiting request of its cluster, or becomes idle. (An HTTP/2
    /// stream is used once: it just closes.)
    func release(_ connection: UpstreamConnection) {
        if connection.isStream {
            connection.close()
            return
        }
        if let waiter = popWaiter(for: connection.cluster) {
            waiter.connectionAvailable(connection)
            return
        }
        if retired {
            connection.close()
            return
        }
        connection.isIdle = true
        idle[connection.endpoint.id, default: []].append(connection)
    }

    /// The usable HTTP/2 connection to `endpoint`, if there is one.
    func http2Session(for endpoint: EndpointRuntime) -> UpstreamHTTP2Session? {
        guard let session = http2Sessions[endpoint.id], session.isUsable else { return nil }
        return session
    }

    func addHTTP2Session(_ session: UpstreamHTTP2Session) {
        http2Sessions[session.endpoint.id]?.retire()
        http2Sessions[session.endpoint.id] = session
        if retired || draining { session.retire() }
    }

    func removeHTTP2Session(_ session: UpstreamHTTP2Session) {
        if http2Sessions[session.endpoint.id] === session { http2Sessions[session.endpoint.id] = nil }
    }

    /// Forgets an idle connection that closed.
    func removeIdle(_ connection: UpstreamConnection) {
        guard connection.isIdle else { return }
        idle[connection.endpoint.id]?.removeAll { $0 === connection }
        connection.isIdle = false
    }

    /// A connection slot of `cluster` freed up (a connection closed): a waiter may open a new one.
    func slotFreed(in cluster: ClusterRuntime) {
        if let waiter = popWaiter(for: cluster) { waiter.connectionSlotAvailable() }
    }

    func enqueueWaiter(_ handler: HTTPProxyHandler, for cluster: ClusterRuntime) {
        waiters[ObjectIdentifier(cluster), default: []].append(handler)
    }

    func removeWaiter(_ handler: HTTPProxyHandler, for cluster: ClusterRuntime) {
        waiters[ObjectIdentifier(cluster)]?.removeAll { $0 === handler }
    }

    private func popWaiter(for cluster: ClusterRuntime) -> HTTPProxyHandler? {
        let key = ObjectIdentifier(cluster)
        guard waiters[key]?.isEmpty == false else { return nil }
        return waiters[key]?.removeFirst()
    }

    // MARK: Downstream registry

    func register(_ handler: HTTPProxyHandler) { downstream[ObjectIdentifier(handler)] = handler }

    func registerHTTP2(_ connection: HTTP2Downstream, listener: ListenerRuntime) {
        http2Downstream[ObjectIdentifier(connection)] = (connection, listener)
    }

    func unregisterHTTP2(_ connection: HTTP2Downstream) { http2Downstream[ObjectIdentifier(connection)] = nil }

    /// Asks HTTP/2 connections to finish: GOAWAY (no error) now, so the client opens new streams elsewhere;
    /// each closes as soon as its in-flight streams have ended (an idle one at once), after `drain` at the latest.
    private func quiesceHTTP2(closingWithin drain: Duration, where shouldQuiesce: (ListenerRuntime) -> Bool) {
        for (key, (connection, listener)) in http2Downstream where shouldQuiesce(listener) {
            http2Downstream[key] = nil
            connection.goAway(closingWithin: drain)
        }
    }
    func unregister(_ handler: HTTPProxyHandler) { downstream[ObjectIdentifier(handler)] = nil }

    /// A reload replaced this state's runtime: pooled connections close, and the downstream connections
    /// between requests move to the new config (busy ones move when their request ends). `successorListener`
    /// finds a listener of the new config by name.
    func retire(drainTime: Duration, successorListener: (String) -> ListenerRuntime?) {
        retired = true
        for stack in idle.values { for connection in stack { connection.close() } }
        idle.removeAll()
        for session in Array(http2Sessions.values) { session.retire() }
        for handler in Array(downstream.values) { handler.configReplaced() }
        // An HTTP/2 connection's streams follow the new config request by request, unless its listener is gone
        // or speaks another transport now: then the connection is told to go away (Envoy drains it likewise).
        quiesceHTTP2(closingWithin: drainTime) { listener in
            guard let latest = successorListener(listener.config.name) else { return true }
            return !latest.canServeConnections(of: listener)
        }
    }

    /// Starts draining: idle downstream connections close now, busy ones after their response.
    func drain(drainTime: Duration) {
        draining = true
        for handler in Array(downstream.values) { handler.drain() }
        quiesceHTTP2(closingWithin: drainTime) { _ in true }
        for stack in idle.values { for connection in stack { connection.close() } }
        idle.removeAll()
        for session in Array(http2Sessions.values) { session.retire() }
    }
}

/// A small fast PRNG (SplitMix64) for load balancing, fault percentages and request ids; not for secrets.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

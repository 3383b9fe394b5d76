import NIOCore
import NIOHTTP1
import NIOHTTP2

/// One HTTP/2 connection to an endpoint, owned by an event loop and shared by that loop's requests: each
/// request is a stream, seen through the HTTP/1-style codec as an `UpstreamConnection` used once. The connection
/// counts as one against the cluster's `maxConnections`; concurrent streams are bounded by `http2MaxRequests`
/// and by the server's own `SETTINGS_MAX_CONCURRENT_STREAMS` (NIO queues streams beyond it).
final class UpstreamHTTP2Session {
    let endpoint: EndpointRuntime
    let cluster: ClusterRuntime
    let loop: LoopState
    /// Completes with the multiplexer once the connection is up (and its TLS peer verified).
    private let ready: EventLoopFuture<NIOHTTP2Handler.StreamMultiplexer>
    private var channel: (any Channel)?
    /// Streams open now.
    private(set) var activeStreams = 0
    private var closeWhenIdle = false
    private(set) var closed = false
    /// Whether it counts in the cluster's `upstream_cx_active` (from the connect until the connection is gone).
    private var counted = true

    /// Whether new requests may use it.
    var isUsable: Bool { !closed && !closeWhenIdle }

    private init(
        endpoint: EndpointRuntime, cluster: ClusterRuntime, loop: LoopState,
        ready: EventLoopFuture<(any Channel, NIOHTTP2Handler.StreamMultiplexer)>
    ) {
        self.endpoint = endpoint
        self.cluster = cluster
        self.loop = loop
        self.ready = ready.map { $0.1 }
        ready.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let (channel, _)):
                self.channel = channel
                channel.closeFuture.assumeIsolated().whenComplete { [self] _ in connectionClosed() }
                if closed { channel.close(promise: nil) }
            case .failure:
                cluster.stats.upstreamCxConnectFail.add(1, ordering: .relaxed)
                connectionClosed()
            }
        }
    }

    /// Starts connecting to `endpoint`; requests may open streams at once (they wait for the connection).
    static func connect(
        to endpoint: EndpointRuntime, cluster: ClusterRuntime, loop: LoopState, on eventLoop: any EventLoop, timeout: Duration
    ) -> UpstreamHTTP2Session {
        cluster.stats.upstreamCxTotal.add(1, ordering: .relaxed)
        cluster.stats.upstreamCxActive.add(1, ordering: .relaxed)
        let connecting = UpstreamConnector.connectHTTP2(to: endpoint, cluster: cluster, on: eventLoop, timeout: timeout)
        return UpstreamHTTP2Session(endpoint: endpoint, cluster: cluster, loop: loop, ready: connecting)
    }

    /// A new stream for one request.
    func openStream() -> EventLoopFuture<UpstreamConnection> {
        activeStreams += 1
        let endpoint = self.endpoint
        let cluster = self.cluster
        let loop = self.loop
        let scheme: HTTP2FramePayloadToHTTP1ClientCodec.HTTPProtocol = cluster.origination(for: endpoint) == nil ? .http : .https
        let stream = ready.flatMap { multiplexer in
            multiplexer.createStreamChannel { stream in
                stream.eventLoop.makeCompletedFuture {
                    let sync = stream.pipeline.syncOperations
                    try sync.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: scheme))
                    try sync.addHandler(UpstreamConnection(endpoint: endpoint, cluster: cluster, loop: loop, isStream: true))
                }
            }
        }
        stream.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let channel):
                channel.closeFuture.assumeIsolated().whenComplete { [self] _ in streamEnded() }
            case .failure:
                streamEnded()
            }
        }
        return stream.flatMapThrowing { channel in
            try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
        }
    }

    /// No new streams: the connection closes once its last stream ends (config reload, shutdown).
    func retire() {
        closeWhenIdle = true
        if activeStreams == 0 { close() }
    }

    func close() {
        guard !closed else { return }
        closed = true
        channel?.close(promise: nil)
    }

    private func streamEnded() {
        activeStreams -= 1
        if closeWhenIdle && activeStreams == 0 { close() }
    }

    /// The connection is gone (closed, or never made): it no longer counts against `maxConnections`.
    private func connectionClosed() {
        guard counted else { return }
        counted = false
        closed = true
        channel = nil
        loop.removeHTTP2Session(self)
        cluster.stats.upstreamCxActive.subtract(1, ordering: .relaxed)
        loop.slotFreed(in: cluster)
    }
}

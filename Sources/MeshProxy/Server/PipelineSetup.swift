import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL

/// How each kind of downstream channel is set up: HTTP/1.1, HTTP/2 (each stream's frames become HTTP/1-style
/// parts for an `HTTPProxyHandler` of its own), TLS with ALPN, and the plaintext prior-knowledge sniffing.
enum PipelineSetup {
    /// A new downstream connection of `listener`: plain text, TLS, or (PERMISSIVE mTLS) whichever the first
    /// bytes show, then TCP splicing or HTTP.
    static func downstream(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime) throws {
        func setUp(_ channel: any Channel, tls: NIOSSLContext?) throws {
            if listener.config.protocol == .tcp {
                try TCPProxy.setUp(channel, runtime: runtime, listener: listener, tls: tls)
            } else if let tls {
                try tlsHTTP(channel, tls: tls, runtime: runtime, listener: listener)
            } else {
                try plaintextHTTP(channel, runtime: runtime, listener: listener)
            }
        }
        if listener.config.protocol == .http { closeIfNotHTTPInTime(channel, within: runtime.config.limits.headerTimeout) }
        switch listener.transport {
        case .plaintext: try setUp(channel, tls: nil)
        case .tls(let tls): try setUp(channel, tls: tls)
        case .permissive(let tls):
            let detector = TLSDetector.handler { context, isTLS in try setUp(context.channel, tls: isTLS ? tls : nil) }
            try channel.pipeline.syncOperations.addHandler(detector)
        }
    }

    /// Closes an HTTP connection that hasn't reached HTTP (TLS handshake done, protocol told by its first bytes)
    /// within `limit`: a client that connects and stays silent must not hold a connection forever. From there,
    /// the HTTP handlers' own header and idle timeouts apply.
    static func closeIfNotHTTPInTime(_ channel: any Channel, within limit: Duration) {
        let check = channel.eventLoop.assumeIsolated().scheduleTask(in: limit.timeAmount) {
            let sync = channel.pipeline.syncOperations
            let reachedHTTP = (try? sync.handler(type: HTTPProxyHandler.self)) != nil
                || (try? sync.handler(type: NIOHTTP2Handler.self)) != nil
            if !reachedHTTP { channel.close(promise: nil) }
        }
        channel.closeFuture.whenComplete { _ in check.cancel() }
    }

    /// The HTTP/1.1 server handlers and the proxy handler, appended to the pipeline.
    static func addHTTP1(
        _ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime
    ) throws {
        let loop = runtime.loopState(for: channel.eventLoop)
        let info = ConnectionInfo.of(channel, listener: listener)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(FlushCoalescer.above(sync))
        try sync.addHandler(HTTPResponseEncoder())
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
        try sync.addHandler(HTTPServerPipelineHandler())
        try sync.addHandler(BadRequestHandler())
        try sync.addHandler(HTTPProxyHandler(runtime: runtime, listener: listener, loop: loop, isHTTP2: false, connection: info))
    }

    /// The HTTP/2 protocol handler and the connection's streams, each served by a proxy handler.
    static func addHTTP2(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime) throws {
        runtime.stats.downstreamCxTotal.add(1, ordering: .relaxed)
        runtime.stats.downstreamCxActive.add(1, ordering: .relaxed)
        channel.closeFuture.whenComplete { _ in runtime.stats.downstreamCxActive.subtract(1, ordering: .relaxed) }
        let loop = runtime.loopState(for: channel.eventLoop)
        let limits = runtime.config.limits
        let downstream = HTTP2Downstream(channel: channel, idleTimeout: limits.idleTimeout, drain: limits.drainTimeout)
        loop.registerHTTP2(downstream, listener: listener)
        channel.closeFuture.assumeIsolated().whenComplete { _ in loop.unregisterHTTP2(downstream) }
        let info = ConnectionInfo.of(channel, listener: listener)
        let metricsCache = RequestMetricsCache()
        let windowSize = 1 << 20
        let settings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 1024),
            HTTP2Setting(parameter: .maxHeaderListSize, value: runtime.config.limits.maxHeaderBytes),
            HTTP2Setting(parameter: .initialWindowSize, value: windowSize),
        ]
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(FlushCoalescer.above(sync))
        try sync.addHandler(NIOHTTP2Handler(mode: .server, initialSettings: settings))
        try sync.addHandler(
            HTTP2ServerConnection(channel: channel, windowSize: windowSize, lifecycle: downstream) {
                HTTPProxyHandler(
                    runtime: runtime, listener: listener, loop: loop, isHTTP2: true, connection: info, metricsCache: metricsCache)
            })
    }

    /// A plaintext HTTP listener's child: sniff for the HTTP/2 preface, else HTTP/1.1.
    static func plaintextHTTP(_ channel: any Channel, runtime: ProxyRuntime, listener: ListenerRuntime) throws {
        let sniffer = ProtocolSniffer.handler { context, verdict in
            if verdict == .http2 {
                try addHTTP2(context.channel, runtime: runtime, listener: listener)
            } else {
                try addHTTP1(context.channel, runtime: runtime, listener: listener)
            }
        }
        try channel.pipeline.syncOperations.addHandler(sniffer)
    }

    /// A TLS HTTP listener's child: terminate TLS, then HTTP/2 or HTTP/1.1 by ALPN.
    static func tlsHTTP(
        _ channel: any Channel, tls: NIOSSLContext, runtime: ProxyRuntime, listener: ListenerRuntime
    ) throws {
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(NIOSSLServerHandler(context: tls))
        if !(listener.config.tls?.allowedClientSANs.isEmpty ?? true) {
            try sync.addHandler(ClientIdentityCheck(allowedSANs: listener.config.tls!.allowedClientSANs))
        }
        let alpn = ALPNSelector { context, protocolName in
            if protocolName == "h2" {
                try addHTTP2(context.channel, runtime: runtime, listener: listener)
            } else {
                try addHTTP1(context.channel, runtime: runtime, listener: listener)
            }
        }
        try sync.addHandler(alpn)
    }
}

import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// The request side of the access log line; `nil` when the access log is off.
    func beginAccessLog(_ head: HTTPRequestHead) -> AccessLogEntry? {
        guard runtime.accessLog != nil else { return nil }
        let headers = head.headers
        let fields = AccessLogEntry.HTTPRequestFields(
            method: head.method.rawValue, path: head.uri, authority: headers.first(name: "host"),
            userAgent: headers.first(name: "user-agent"), forwardedFor: headers.first(name: "x-forwarded-for"),
            requestID: headers.first(name: "x-request-id"))
        let version = isHTTP2 ? "HTTP/2" : "HTTP/\(head.version.major).\(head.version.minor)"
        // Envoy's %DOWNSTREAM_REMOTE_ADDRESS% is the trusted client address: from x-forwarded-for it has port 0.
        let remote = listener.forwarding.forwardedClient(headers["x-forwarded-for"]).map { AccessLogEntry.socketAddress($0, port: 0) }
            ?? AccessLogEntry.socketAddress(connection.clientAddress, port: connection.clientPort)
        return AccessLogEntry(
            head: fields, protocol: version, startTime: AccessLogEntry.timestamp(Self.wallClockSeconds()),
            remote: remote, local: connection.localAddress.map { AccessLogEntry.socketAddress($0, port: connection.localPort) })
    }

    /// Completes and queues the current request's line: the answer, and where `exchange` (if any) sent it.
    func logAccess(status: Int, start: NIODeadline, exchange: Exchange?) {
        guard var entry = accessEntry, let writer = runtime.accessLog else { return }
        accessEntry = nil
        let now = NIODeadline.now()
        entry.responseCode = status
        entry.responseFlags = responseFlags
        entry.bytesSent = responseBytes
        entry.durationMillis = Int((now - start).nanoseconds / 1_000_000)
        if let exchange {
            entry.bytesReceived = exchange.receivedBodyBytes
            entry.requestID = exchange.head.headers.first(name: "x-request-id") ?? entry.requestID
            entry.upstreamCluster = exchange.cluster.config.name
            entry.upstreamHost = exchange.endpoint.map { "\($0.config.address)" }
            entry.upstreamServiceTimeMillis = exchange.upstreamServiceMillis
            entry.routeName = exchange.rule?.name
            entry.attempts = exchange.machine.attempts
        }
        if !writer.append(entry.json) { runtime.stats.accessLogDropped.add(1, ordering: .relaxed) }
    }
}

import MeshPolicy
import NIOCore
import NIOHTTP1

/// A request held while a CUSTOM policy's ext-authz provider is asked: what the handler needs to go on, and
/// the body parts that arrived meanwhile (replayed once it goes on).
struct PendingExtAuthz {
    let head: HTTPRequestHead
    let request: AuthzRequest
    let identity: RequestAuthenticator.Identity?
    let keepAlive: Bool
    let isUpgrade: Bool
    let start: NIODeadline
    var client: ExtAuthzClient?
    var parts: [HTTPServerRequestPart] = []
    var bodyBytes = 0
    var ended = false
    /// Whether the check went out (with `includeRequestBodyInCheck` it waits for the body first).
    var asked = false

    /// Downstream reads wait once the check is out (or the request is complete).
    var holdsReads: Bool { asked || ended }
}

extension HTTPProxyHandler {
    /// Holds the request for `client`'s provider; asks at once, or once the body to include has arrived.
    func awaitExtAuthz(_ client: ExtAuthzClient, _ pending: PendingExtAuthz) {
        var pending = pending
        pending.client = client
        if client.provider.requestBody != nil, pending.head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            // The body is needed before the check: ask the client for it now, as Envoy does.
            sendAndFlush(.head(HTTPResponseHead(version: pending.head.version, status: .continue)))
        }
        pendingExtAuthz = pending
        if client.provider.requestBody == nil { askExtAuthz() }
    }

    /// A body part or the end of the held request.
    func holdDuringExtAuthz(_ part: HTTPServerRequestPart) {
        guard var pending = pendingExtAuthz else { return }
        switch part {
        case .body(let buffer): pending.bodyBytes += buffer.readableBytes
        case .end: pending.ended = true
        case .head: return
        }
        pending.parts.append(part)
        pendingExtAuthz = pending
        guard !pending.asked, let limits = pending.client?.provider.requestBody else { return }
        guard pending.ended || pending.bodyBytes > limits.maxRequestBytes else { return }
        if pending.bodyBytes > limits.maxRequestBytes && !limits.allowPartialMessage {
            // Before failOpen: a body over the limit is refused whatever the provider would say.
            pendingExtAuthz = nil
            localResponse(.payloadTooLarge, body: "Payload Too Large", keepAlive: false, start: pending.start)
            return
        }
        askExtAuthz()
    }

    /// The connection went away while the provider was asked.
    func abandonExtAuthz() {
        pendingExtAuthz = nil
        runtime.stats.downstreamRqActive.subtract(1, ordering: .relaxed)
    }

    private func askExtAuthz() {
        guard var pending = pendingExtAuthz, let client = pending.client, let eventLoop = downstreamEventLoop else { return }
        pending.asked = true
        pendingExtAuthz = pending
        var input = ExtAuthzClient.Input(head: pending.head, connection: connection, scheme: listener.scheme)
        if let limits = client.provider.requestBody {
            var body: [UInt8] = []
            for case .body(let buffer) in pending.parts { body += buffer.readableBytesView }
            input.partial = body.count > limits.maxRequestBytes
            input.body = Array(body.prefix(limits.maxRequestBytes))
        }
        let generation = self.generation
        client.check(input, on: eventLoop).assumeIsolated().whenSuccess { [self] decision in
            extAuthzAnswered(decision, generation: generation)
        }
    }

    private func extAuthzAnswered(_ decision: ExtAuthzDecision, generation: Int) {
        guard self.generation == generation, let pending = pendingExtAuthz, let eventLoop = downstreamEventLoop else { return }
        pendingExtAuthz = nil
        switch decision {
        case .deny(let status, let headers, let body):
            responseFlags = "UAEX"  // Envoy's flag for a request the external authorizer refused
            localResponse(HTTPResponseStatus(statusCode: status), body: body, keepAlive: pending.keepAlive, start: pending.start, extraHeaders: headers)
        case .allow(let upstreamHeaders, let downstreamHeaders, let removing):
            if case .denied(let body) = listener.authorizer?.checkAfterProvider(pending.request) {
                localResponse(.forbidden, body: body, keepAlive: pending.keepAlive, start: pending.start)
                break
            }
            var head = pending.head
            for (name, value) in upstreamHeaders { head.headers.replaceOrAdd(name: name, value: value) }
            // Host and pseudo-headers stay: without them the request is malformed (Envoy ignores them too).
            for name in removing where name != "host" && !name.hasPrefix(":") { head.headers.remove(name: name) }
            if pending.client?.provider.requestBody != nil { head.headers.remove(name: "expect") }
            forwardAuthorized(
                head, identity: pending.identity, keepAlive: pending.keepAlive, isUpgrade: pending.isUpgrade, start: pending.start,
                on: eventLoop)
            exchange?.extraResponseHeaders += downstreamHeaders
            for part in pending.parts {
                switch part {
                case .body(let buffer): requestBody(buffer)
                case .end(let trailers): requestEnd(trailers)
                case .head: break
                }
            }
        case .error:
            // The client resolves errors (failOpen, statusOnError); one that slips through fails closed.
            localResponse(.forbidden, body: "", keepAlive: pending.keepAlive, start: pending.start)
        }
        resumeDownstreamReads()
    }
}

import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// A response part from the upstream of the current try.
    func upstreamRead(_ part: HTTPClientResponsePart, from connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection, downstream != nil else {
            connection.owner = nil
            connection.close()
            return
        }
        switch part {
        case .head(let head):
            responseHead(head)
        case .body(let buffer):
            runtime.stats.downstreamCxTxBytes.add(buffer.readableBytes, ordering: .relaxed)
            responseBytes += buffer.readableBytes
            send(.body(.byteBuffer(buffer)))
        case .end(let trailers):
            if exchange.machine.state == .upgrading {
                finishUpgrade(connection)
            } else {
                finishExchange(trailers: trailers)
            }
        }
    }

    func upstreamReadComplete() {
        flushDownstream()
    }

    private func responseHead(_ head: HTTPResponseHead) {
        if head.status.code >= 200 || head.status.code == 101 { exchange?.releaseRetry() }
        guard let exchange else { return }
        let status = Int(head.status.code)
        let action = exchange.machine.responseHead(status: status, retriesAvailable: exchange.cluster.retryBudgetAvailable)
        switch action {
        case .ignore:
            return  // informational: Expect was answered by the proxy itself
        case .tunnel:
            switchToTunnel(head)
            return
        case .forwardOverflow:
            exchange.cluster.stats.upstreamRqRetryOverflow.add(1, ordering: .relaxed)
            responseFlags = "UO"
        case .retry, .forward:
            break
        }
        let cluster = exchange.cluster
        if let endpoint = exchange.endpoint { cluster.recordOutcome(endpoint, status: status) }
        if action == .retry {
            retry()
            return
        }
        cluster.stats.countStatus(status)
        exchange.perTryTimeout?.cancel()
        exchange.perTryTimeout = nil
        exchange.responseHeadAt = .now()
        if let code = head.headers.first(name: "grpc-status") { grpcStatus = code }
        var response = head
        response.version = isHTTP2 ? .http2 : requestVersion
        HeaderPolicy.stripHopByHop(&response.headers)
        response.headers.replaceOrAdd(name: "x-envoy-upstream-service-time", value: String(exchange.upstreamServiceMillis ?? 0))
        exchangePeerMetadata(in: &response)
        if let rule = exchange.rule {
            for (name, value) in rule.responseHeadersToSet { response.headers.replaceOrAdd(name: name, value: value) }
        }
        for (name, value) in exchange.extraResponseHeaders { response.headers.replaceOrAdd(name: name, value: value) }
        if let cookie = exchange.setCookie { response.headers.add(name: "set-cookie", value: cookie) }
        if !exchange.keepAlive && !isHTTP2 {
            response.headers.replaceOrAdd(name: "connection", value: "close")
        }
        send(.head(response))
    }

    /// The upstream connection of the current try closed.
    func upstreamClosed(_ connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection else { return }
        self.exchange?.upstream = nil
        if !exchange.machine.responseStarted, let endpoint = exchange.endpoint {
            exchange.cluster.recordOutcome(endpoint, status: nil)
        }
        tryFailed(.upstreamClosed)
    }

    /// The response ended: recycle the upstream connection, account, and get ready for the next request.
    func finishExchange(trailers: HTTPHeaders?) {
        guard let exchange, downstream != nil else { return }
        if let code = trailers?.first(name: "grpc-status") { grpcStatus = code }
        if let upstream = exchange.upstream {
            upstream.owner = nil
            let limit = exchange.cluster.limits.maxRequestsPerConnection
            let reusable = upstream.isActive && upstream.keepAliveAllowed && (limit == 0 || upstream.requestsServed < limit)
                && !loop.draining
            // A response that ends before its request was sent whole (the upstream answered without reading the
            // body) leaves the connection mid-message, so the machine closes it (as Envoy resets it) instead of
            // pooling it, where the next request would be read as body.
            switch exchange.machine.responseEnded(upstreamReusable: reusable) {
            case .reuse: loop.release(upstream)
            case .close: upstream.close()
            }
        }
        complete(status: exchange.machine.status, trailers: trailers)
    }

    /// Writes the end of the response and clears the exchange.
    private func complete(status: Int, trailers: HTTPHeaders?) {
        guard let exchange else { return }
        release(exchange)
        self.exchange = nil
        let micros = Int((NIODeadline.now() - exchange.start).nanoseconds / 1000)
        runtime.stats.recordResponse(status: status, micros: micros)
        runtime.stats.downstreamRqActive.subtract(1, ordering: .relaxed)
        recordIstioMetrics(status: status, start: exchange.start, requestBytes: exchange.receivedBodyBytes)
        logAccess(status: status, start: exchange.start, exchange: exchange)
        lastActivity = NIODeadline.now()
        if exchange.keepAlive && !loop.draining && adoptLatestConfig() {
            sendAndFlush(.end(trailers))
            resumeDownstreamReads()
        } else {
            closing = true
            sendLastAndClose(.end(trailers))
        }
    }

    /// Undoes the accounting of an exchange.
    func release(_ exchange: Exchange) {
        exchange.timeout?.cancel()
        exchange.perTryTimeout?.cancel()
        if exchange.waiting {
            exchange.cluster.stats.upstreamRqPendingActive.subtract(1, ordering: .relaxed)
            loop.removeWaiter(self, for: exchange.cluster)
        }
        exchange.endpoint?.activeRequests.subtract(1, ordering: .relaxed)
        if exchange.countedActive { exchange.cluster.stats.upstreamRqActive.subtract(1, ordering: .relaxed) }
        exchange.releaseRetry()
    }

    /// Drops the exchange without answering (the downstream went away or the response broke off).
    func abandonExchange() {
        guard let exchange else { return }
        if let upstream = exchange.upstream {
            upstream.owner = nil
            upstream.close()
        }
        release(exchange)
        runtime.stats.downstreamRqActive.subtract(1, ordering: .relaxed)
        self.exchange = nil
    }

    // MARK: Local responses

    /// An error answer for the current exchange (connection to upstream dropped; nothing sent yet).
    func errorResponse(_ status: HTTPResponseStatus, body: String, extraHeaders: [(String, String)] = []) {
        guard downstream != nil, let exchange else { return }
        if exchange.machine.responseStarted {
            abandonExchange()
            closeDownstream()
            return
        }
        if let upstream = exchange.upstream {
            upstream.owner = nil
            upstream.close()
            self.exchange?.upstream = nil
        }
        self.exchange?.machine.answeredLocally(status: Int(status.code))
        writeLocal(status, body: body, keepAlive: exchange.keepAlive, extraHeaders: extraHeaders)
        complete(status: Int(status.code), trailers: nil)
    }

    /// 503 with Envoy's `x-envoy-overloaded: true`: a circuit breaker is open.
    func overflowResponse() {
        responseFlags = "UO"
        errorResponse(.serviceUnavailable, body: "upstream connect error or disconnect/reset before headers. reset reason: overflow", extraHeaders: [("x-envoy-overloaded", "true")])
    }

    /// A local answer before any exchange exists (no route, fault abort, direct response, redirect).
    func localResponse(
        _ status: HTTPResponseStatus, body: String, keepAlive: Bool, start: NIODeadline,
        extraHeaders: [(String, String)] = []
    ) {
        guard downstream != nil else { return }
        if let exchange {
            // Fault aborts and overflows happen with the exchange already set up.
            self.exchange?.keepAlive = keepAlive && exchange.keepAlive
            errorResponse(status, body: body, extraHeaders: extraHeaders)
            return
        }
        writeLocal(status, body: body, keepAlive: keepAlive, extraHeaders: extraHeaders)
        runtime.stats.recordResponse(status: Int(status.code), micros: Int((NIODeadline.now() - start).nanoseconds / 1000))
        recordIstioMetrics(status: Int(status.code), start: start, requestBytes: 0)
        logAccess(status: Int(status.code), start: start, exchange: nil)
        runtime.stats.downstreamRqActive.subtract(1, ordering: .relaxed)
        lastActivity = NIODeadline.now()
        if !keepAlive || loop.draining {
            closing = true
            sendLastAndClose(.end(nil))
        } else {
            sendAndFlush(.end(nil))
        }
    }

    private func writeLocal(
        _ status: HTTPResponseStatus, body: String, keepAlive: Bool, extraHeaders: [(String, String)]
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !body.isEmpty, !extraHeaders.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.add(name: "content-type", value: "text/plain")
        }
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        if peerAsked { runtime.peerHeaders.set(in: &headers) }
        if !keepAlive && !isHTTP2 { headers.add(name: "connection", value: "close") }
        let version: HTTPVersion = isHTTP2 ? .http2 : requestVersion
        send(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        if !body.isEmpty {
            responseBytes += body.utf8.count
            send(.body(.byteBuffer(downstreamAllocator.buffer(string: body))))
        }
    }

    /// A redirect or direct response from a route.
    func localRuleResponse(_ rule: HTTPRouteRule, head: HTTPRequestHead, keepAlive: Bool, start: NIODeadline) {
        switch rule.action {
        case .directResponse(let status, let body):
            localResponse(HTTPResponseStatus(statusCode: status), body: body, keepAlive: keepAlive, start: start)
        case .redirect(let redirect):
            let location = RedirectLocation.make(redirect, head: head, scheme: listener.scheme)
            localResponse(
                HTTPResponseStatus(statusCode: redirect.status), body: "", keepAlive: keepAlive, start: start,
                extraHeaders: [("location", location)])
        case .route:
            localResponse(.notFound, body: "", keepAlive: keepAlive, start: start)
        }
    }
}

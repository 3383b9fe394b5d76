#if canImport(Glibc)
import Glibc
#endif
import MeshPolicy
import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// A request head arrived: route it, apply faults and circuit breakers, then start the first try.
    func requestHead(_ received: HTTPRequestHead) {
        var head = received
        guard exchange == nil, !upgraded, let eventLoop = downstreamEventLoop else {
            // HTTPServerPipelineHandler serialises requests; anything else is a protocol violation.
            closeDownstream()
            return
        }
        let stats = runtime.stats
        stats.downstreamRqTotal.add(1, ordering: .relaxed)
        stats.downstreamRqActive.add(1, ordering: .relaxed)
        generation &+= 1
        requestsSeen &+= 1
        let start = NIODeadline.now()
        lastActivity = start
        // Like Envoy's connection manager, the request gets its id before anything looks at it: authorization
        // providers, local answers and the access log see the id the upstream will.
        if !head.headers.contains(name: "x-request-id") {
            head.headers.add(name: "x-request-id", value: HeaderPolicy.uuid(loop.nextRandom(), loop.nextRandom()))
        }
        let isUpgrade = Self.isUpgradeRequest(head) && !isHTTP2
        // The HTTP/1 decoder stops parsing after an upgrade request: unless the upgrade is accepted (and the
        // connection becomes a splice), it can't carry another request, so any other answer closes it.
        let followsConfig = adoptLatestConfig()
        responseFlags = "-"
        peerAsked = false
        responseBytes = 0
        grpcStatus = ""
        metricLabels = requestMetricLabels(head)
        activeSpan = beginSpan(head)
        accessEntry = beginAccessLog(head)
        let keepAlive = isHTTP2 || (head.isKeepAlive && !loop.draining && !isUpgrade && followsConfig)
        requestVersion = isHTTP2 ? .http2 : (head.version == .http1_0 ? .http1_0 : .http1_1)

        // Header limits (Envoy's max_request_headers_kb / max_headers_count): 431, closed, never forwarded.
        let limits = runtime.config.limits
        if head.headers.count > limits.maxHeaderCount || Self.headSize(head) > limits.maxHeaderBytes {
            localResponse(.requestHeaderFieldsTooLarge, body: "", keepAlive: false, start: start)
            return
        }
        // A declared body over the limit is refused before anything is forwarded (chunked ones as they grow).
        if let maxBody = limits.maxRequestBodyBytes, let length = head.headers.first(name: "content-length").flatMap(Int.init),
            length > maxBody
        {
            localResponse(.payloadTooLarge, body: "Payload Too Large", keepAlive: false, start: start)
            return
        }
        takePeerMetadata(from: &head)

        // Authentication (RequestAuthentication): a bad token gets 401 and never reaches the upstream.
        var identity: RequestAuthenticator.Identity?
        if let authenticator = listener.authenticator {
            switch authenticator.authenticate(headers: head.headers, uri: head.uri, now: Self.wallClockSeconds()) {
            case .anonymous:
                break
            case .authenticated(let who):
                stats.jwtAllowed.add(1, ordering: .relaxed)
                identity = who
            case .rejected(let reason):
                stats.jwtDenied.add(1, ordering: .relaxed)
                let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                let realm = "\(listener.scheme)://\(head.headers.first(name: "host") ?? "")\(path)"
                localResponse(
                    .unauthorized, body: reason, keepAlive: keepAlive, start: start,
                    extraHeaders: [("www-authenticate", "Bearer realm=\"\(realm)\", error=\"invalid_token\"")])
                return
            }
        }

        // Authorization (AuthorizationPolicy): denied requests get 403 and never reach the upstream; those a
        // CUSTOM policy matches wait for its ext-authz provider.
        if let authorizer = listener.authorizer {
            let request = authzRequest(head, identity: identity)
            switch authorizer.check(request) {
            case .allowed:
                break
            case .denied(let body):
                localResponse(.forbidden, body: body, keepAlive: keepAlive, start: start)
                return
            case .askProvider(let client):
                awaitExtAuthz(
                    client, PendingExtAuthz(head: head, request: request, identity: identity, keepAlive: keepAlive, isUpgrade: isUpgrade, start: start))
                return
            }
        }
        forwardAuthorized(head, identity: identity, keepAlive: keepAlive, isUpgrade: isUpgrade, start: start, on: eventLoop)
    }

    /// An authorized request: answer `Expect`, route it, apply rate limits and faults, then start the first try.
    func forwardAuthorized(
        _ head: HTTPRequestHead, identity: RequestAuthenticator.Identity?, keepAlive: Bool, isUpgrade: Bool, start: NIODeadline,
        on eventLoop: any EventLoop
    ) {
        let stats = runtime.stats
        if head.headers.contains(name: "expect") {
            guard head.headers.first(name: "expect")?.lowercased() == "100-continue" else {
                localResponse(.expectationFailed, body: "", keepAlive: false, start: start)
                return
            }
            // Like Envoy, answer 100 Continue ourselves and don't forward Expect.
            sendAndFlush(.head(HTTPResponseHead(version: head.version, status: .continue)))
        }

        let decision = listener.resolve(head, port: routePort, roll: loop.nextRandom())
        if metricLabels.reporter == "source", case .forward(let target, _) = decision, let destination = target.metricsDestination {
            metricLabels.setDestinationService(destination)
        }

        // Local rate limits (token buckets): over the limit answers 429 before any upstream work.
        var rateLimitHeaders: [(String, String)] = []
        if !listener.rateLimiters.isEmpty {
            let routeName = decision.rule?.name
            let now = start.uptimeNanoseconds.clampedToInt64
            for limiter in listener.rateLimiters where limiter.applies(routeName: routeName) {
                switch limiter.check(head, now: now, roll: loop.nextRandom()) {
                case .pass(let headers):
                    rateLimitHeaders += headers
                case .limited(let headers):
                    responseFlags = "RL"
                    localResponse(.tooManyRequests, body: "local_rate_limited", keepAlive: keepAlive, start: start, extraHeaders: headers)
                    return
                }
            }
        }

        let cluster: ClusterRuntime
        let rule: HTTPRouteRule?
        switch decision {
        case .forward(let target, let matched):
            cluster = target
            rule = matched
        case .local(let matched):
            localRuleResponse(matched, head: head, keepAlive: keepAlive, start: start)
            return
        case .noRoute:
            stats.noRoute.add(1, ordering: .relaxed)
            responseFlags = "NR"
            localResponse(.notFound, body: "", keepAlive: keepAlive, start: start)
            return
        case .noCluster:
            responseFlags = "NC"
            localResponse(.serviceUnavailable, body: "no healthy upstream", keepAlive: keepAlive, start: start)
            return
        }

        // Fault injection (abort first, as Envoy evaluates it before delaying).
        if let fault = rule?.fault {
            if let abort = fault.abort, percentHit(abort.percent) {
                stats.faultAborts.add(1, ordering: .relaxed)
                responseFlags = "FI"
                localResponse(
                    HTTPResponseStatus(statusCode: abort.status), body: "fault filter abort", keepAlive: keepAlive,
                    start: start)
                return
            }
        }

        var upstreamHead = head
        upstreamHead.version = .http1_1
        HeaderPolicy.stripHopByHop(&upstreamHead.headers, keepUpgrade: isUpgrade)
        upstreamHead.headers.remove(name: "expect")
        if let identity {
            for name in identity.removeHeaders { upstreamHead.headers.remove(name: name) }
            for (name, value) in identity.setHeaders { upstreamHead.headers.replaceOrAdd(name: name, value: value) }
        }
        if isHTTP2, !upstreamHead.headers.contains(name: "content-length"), head.method != .GET, head.method != .HEAD {
            upstreamHead.headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
        }
        HeaderPolicy.addForwardingHeaders(
            &upstreamHead.headers, policy: listener.forwarding, clientAddress: clientAddress, secure: connection.secure,
            peer: connection.peerCertificate)
        offerPeerMetadata(in: &upstreamHead, to: cluster)
        if var span = activeSpan {
            span.context.inject(into: &upstreamHead.headers, spanID: span.spanID)
            span.requestID = upstreamHead.headers.first(name: "x-request-id") ?? ""
            span.upstreamCluster = cluster.config.name
            activeSpan = span
        }
        if let rule {
            applyRouteRewrites(rule, original: head, to: &upstreamHead)
        }
        let hash = hashInput(for: cluster, head: head)
        let exchange = Exchange(
            head: upstreamHead, start: start, keepAlive: keepAlive, cluster: cluster, rule: rule,
            retry: rule?.retries ?? .istioDefault, hashKey: hash?.hash, isUpgrade: isUpgrade)
        exchange.extraResponseHeaders = rateLimitHeaders
        exchange.setCookie = hash?.setCookie
        self.exchange = exchange

        // Circuit breaker: requests in flight.
        let clusterStats = cluster.stats
        if clusterStats.upstreamRqActive.load(ordering: .relaxed) >= cluster.limits.maxRequests {
            clusterStats.upstreamRqPendingOverflow.add(1, ordering: .relaxed)
            overflowResponse()
            return
        }
        clusterStats.upstreamRqTotal.add(1, ordering: .relaxed)
        clusterStats.upstreamRqActive.add(1, ordering: .relaxed)
        self.exchange?.countedActive = true

        if let timeout = rule?.timeout, timeout > .zero {
            let generation = self.generation
            self.exchange?.timeout = eventLoop.assumeIsolated().scheduleTask(in: timeout.timeAmount) { [self] in
                routeTimedOut(generation: generation)
            }
        }
        if let delay = rule?.fault?.delay, percentHit(delay.percent) {
            stats.faultDelays.add(1, ordering: .relaxed)
            let generation = self.generation
            eventLoop.assumeIsolated().scheduleTask(in: delay.duration.timeAmount) { [self] in
                guard self.generation == generation, self.exchange != nil else { return }
                startAttempt()
            }
            return
        }
        startAttempt()
    }

    func requestBody(_ buffer: ByteBuffer) {
        if pendingExtAuthz != nil { return holdDuringExtAuthz(.body(buffer)) }
        guard let exchange else { return }
        runtime.stats.downstreamCxRxBytes.add(buffer.readableBytes, ordering: .relaxed)
        exchange.receivedBodyBytes += buffer.readableBytes
        if let maxBody = runtime.config.limits.maxRequestBodyBytes, exchange.receivedBodyBytes > maxBody {
            // Too much after all (a chunked body): 413 if the response hasn't begun, else the connection resets.
            self.exchange?.keepAlive = false
            errorResponse(.payloadTooLarge, body: "Payload Too Large")
            return
        }
        if let upstream = exchange.upstream {
            upstream.write(.body(.byteBuffer(buffer)))
            guard exchange.machine.retaining else { return }
        }
        exchange.buffered.append(buffer)
        exchange.bufferedBytes += buffer.readableBytes
        if exchange.machine.retaining, exchange.bufferedBytes > runtime.config.limits.retryBufferBytes {
            exchange.machine.stopRetaining()
            if exchange.upstream != nil {
                exchange.buffered.removeAll()
                exchange.bufferedBytes = 0
            }
        }
    }

    func requestEnd(_ trailers: HTTPHeaders?) {
        if pendingExtAuthz != nil { return holdDuringExtAuthz(.end(trailers)) }
        guard exchange != nil else { return }
        exchange!.machine.requestDidEnd()
        exchange!.trailers = trailers
        if let upstream = exchange!.upstream {
            upstream.write(.end(trailers))
            upstream.flush()
        }
    }

    /// The request as AuthorizationPolicy sees it (repeated headers joined with `,`, as Envoy matches them).
    func authzRequest(_ head: HTTPRequestHead, identity: RequestAuthenticator.Identity? = nil) -> AuthzRequest {
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            if let existing = headers[key] { headers[key] = existing + "," + value } else { headers[key] = value }
        }
        return AuthzRequest(
            method: head.method.rawValue, path: head.uri, host: head.headers.first(name: "host"), port: connection.port,
            headers: headers, sourcePrincipal: connection.principal, sourceIP: connection.clientAddress,
            remoteIP: listener.forwarding.trustedClientAddress(forwardedFor: head.headers["x-forwarded-for"], peer: connection.clientAddress),
            destinationIP: connection.localAddress, requestPrincipal: identity?.principal, claims: identity?.claims)
    }

    /// The Istio labels of a request as it arrives: the listener's own side, the peer's identity from mTLS, the
    /// destination service from the authority (outbound requests take it from their cluster instead).
    func requestMetricLabels(_ head: HTTPRequestHead) -> IstioMetrics.Labels {
        let host = head.headers.first(name: "host") ?? ""
        let grpc = head.headers.first(name: "content-type")?.lowercased().hasPrefix("application/grpc") == true
        // Requests on one connection mostly share these: reuse the last labels (the listener can't change
        // between requests without the connection adopting a new config, which resets the cache).
        if let cached = metricsCache.labels, cached.host == host, cached.grpc == grpc, cached.listener === listener {
            return cached.labels
        }
        var labels = listener.metricLabels
        if grpc { labels.requestProtocol = "grpc" }
        if labels.reporter == "destination" {
            labels.setDestinationService(host)
            labels.connectionSecurityPolicy = connection.principal == nil ? "none" : "mutual_tls"
            if let principal = connection.principal {
                labels.source.principal = principal
                labels.source.namespace = AuthzRequest.namespace(ofPrincipal: principal) ?? "unknown"
            }
        }
        metricsCache.labels = (host, grpc, listener, labels)
        return labels
    }

    /// Records Istio's request metrics for the request that just got its answer.
    func recordIstioMetrics(status: Int, start: NIODeadline, requestBytes: Int) {
        var labels = metricLabels
        labels.responseCode = String(status)
        labels.responseFlags = responseFlags
        labels.grpcResponseStatus = grpcStatus
        let micros = Int((NIODeadline.now() - start).nanoseconds / 1000)
        let series: IstioMetrics.RequestSeries
        if let last = metricsCache.series, last.labels == labels {
            series = last
        } else {
            series = runtime.stats.istio.series(for: labels)
            metricsCache.series = series
        }
        series.record(durationMicros: micros, requestBytes: requestBytes, responseBytes: responseBytes)
        finishSpan(labels, requestBytes: requestBytes)
    }

    /// Starts the proxy's span: the caller's trace (W3C or B3) or a new one; `nil` when tracing is off.
    func beginSpan(_ head: HTTPRequestHead) -> ActiveSpan? {
        guard let tracer = runtime.tracer else { return nil }
        let loop = self.loop
        let (context, spanID) = tracer.begin(incoming: TraceContext.extract(from: head.headers)) { loop.nextRandom() }
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        return ActiveSpan(
            context: context, spanID: spanID, startMicros: Int64(Self.wallClockSeconds() * 1_000_000),
            method: head.method.rawValue, url: "\(listener.scheme)://\(head.headers.first(name: "host") ?? "")\(path)",
            httpProtocol: isHTTP2 ? "HTTP/2" : "HTTP/1.1")
    }

    /// Hands the finished span to the exporter when the trace is sampled.
    private func finishSpan(_ labels: IstioMetrics.Labels, requestBytes: Int) {
        guard let span = activeSpan else { return }
        activeSpan = nil
        guard span.context.sampled == true, let tracer = runtime.tracer, let exporter = tracer.exporter else { return }
        let isServer = labels.reporter == "destination"
        let port = (isServer ? connection.port : span.upstreamPort).map(String.init) ?? ""
        let tags: [(String, String)] = [
            ("component", "proxy"), ("http.method", span.method), ("http.url", span.url), ("http.protocol", span.httpProtocol),
            ("http.status_code", labels.responseCode), ("response_flags", labels.responseFlags),
            ("upstream_cluster", span.upstreamCluster), ("guid:x-request-id", span.requestID),
            ("request_size", String(requestBytes)), ("response_size", String(responseBytes)),
            ("istio.namespace", runtime.config.security.workload.namespace),
            ("istio.canonical_service", isServer ? labels.destination.app : labels.source.app),
            ("peer.address", connection.clientAddress),
        ]
        let now = Int64(Self.wallClockSeconds() * 1_000_000)
        exporter.add(Span(
            traceID: span.context.traceID, id: span.spanID, parentID: span.context.parentSpanID,
            name: "\(labels.destinationService):\(port)/*", isServer: isServer, startMicros: span.startMicros,
            durationMicros: now - span.startMicros, serviceName: tracer.serviceName,
            remoteAddress: isServer ? connection.clientAddress : nil, tags: tags, isError: (Int(labels.responseCode) ?? 0) >= 500))
    }

    /// Seconds since 1970 (token `exp`/`nbf` checks).
    static func wallClockSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Whether a fault with `percent` (0–100, fractions allowed) applies to this request.
    func percentHit(_ percent: Double) -> Bool {
        if percent >= 100 { return true }
        if percent <= 0 { return false }
        return Double(loop.nextRandom() % 1_000_000) < percent * 10_000
    }

    /// The size of the request head as sent: request line and header lines with their line ends.
    static func headSize(_ head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + head.uri.utf8.count + 12
        for (name, value) in head.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size + 2
    }

    static func isUpgradeRequest(_ head: HTTPRequestHead) -> Bool {
        guard head.headers.contains(name: "upgrade") else { return false }
        return head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    /// The port a VirtualService `port` match sees: the listener's `targetPort`, else the one it is bound to.
    private var routePort: Int { connection.port ?? listener.config.address.port }

    private func applyRouteRewrites(_ rule: HTTPRouteRule, original: HTTPRequestHead, to head: inout HTTPRequestHead) {
        if let rewrite = rule.rewrite {
            if let uri = rewrite.uri {
                let matched = RouteMatcher.matchedCondition(rule, original, port: routePort, scheme: listener.scheme)
                head.uri = RouteMatcher.rewriteURI(original.uri, rewrite: uri, matched: matched)
            }
            if let authority = rewrite.authority {
                head.headers.replaceOrAdd(name: "host", value: authority)
            }
        }
        for name in rule.requestHeadersToRemove { head.headers.remove(name: name) }
        for (name, value) in rule.requestHeadersToSet { head.headers.replaceOrAdd(name: name, value: value) }
    }

    private func hashInput(for cluster: ClusterRuntime, head: HTTPRequestHead) -> HashPolicy.Input? {
        guard case .consistentHash(let key) = cluster.config.loadBalancer else { return nil }
        return HashPolicy.input(key, headers: head.headers, client: clientAddress, connection: connection.socketPair)
    }
}

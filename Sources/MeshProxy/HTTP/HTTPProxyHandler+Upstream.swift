import NIOCore
import NIOHTTP1
import NIOPosix

extension HTTPProxyHandler {
    /// Starts a try: an idle pooled connection if there is one, else a new connection within the circuit
    /// breaker's limits, else a wait in the pending queue, else 503 with `x-envoy-overloaded`.
    func startAttempt() {
        guard let exchange, let eventLoop = downstreamEventLoop else { return }
        generation &+= 1
        exchange.machine.tryStarted()
        let cluster = exchange.cluster
        guard let endpoint = cluster.pickEndpoint(hash: exchange.hashKey, random: loop.nextRandom()) else {
            tryFailed(.noHealthyUpstream)
            return
        }
        exchange.endpoint = endpoint
        activeSpan?.upstreamPort = endpoint.config.address.port
        endpoint.activeRequests.add(1, ordering: .relaxed)
        if let perTry = exchange.retry.perTryTimeout, exchange.retry.attempts > 0 {
            let generation = self.generation
            exchange.perTryTimeout = eventLoop.assumeIsolated().scheduleTask(in: perTry.timeAmount) { [self] in
                perTryTimedOut(generation: generation)
            }
        }
        if cluster.config.http2 {
            startStream(to: endpoint)
            return
        }
        if let connection = loop.takeIdle(endpoint), connection.isActive {
            attach(connection)
            return
        }
        let stats = cluster.stats
        if stats.upstreamCxActive.load(ordering: .relaxed) < cluster.limits.maxConnections {
            connect(endpoint)
            return
        }
        if stats.upstreamRqPendingActive.load(ordering: .relaxed) < cluster.limits.maxPendingRequests {
            stats.upstreamRqPendingActive.add(1, ordering: .relaxed)
            self.exchange?.waiting = true
            loop.enqueueWaiter(self, for: cluster)
            return
        }
        stats.upstreamRqPendingOverflow.add(1, ordering: .relaxed)
        overflowResponse()
    }

    /// An HTTP/2 cluster: a new stream on the loop's connection to the endpoint, opening that connection first
    /// when there is none (within `maxConnections`, else 503 with `x-envoy-overloaded`).
    private func startStream(to endpoint: EndpointRuntime) {
        guard let eventLoop = downstreamEventLoop, let exchange else { return }
        let cluster = exchange.cluster
        let generation = self.generation
        let stream: EventLoopFuture<UpstreamConnection>
        if let session = loop.http2Session(for: endpoint) {
            stream = session.openStream()
        } else {
            guard cluster.stats.upstreamCxActive.load(ordering: .relaxed) < cluster.limits.maxConnections else {
                cluster.stats.upstreamCxOverflow.add(1, ordering: .relaxed)
                overflowResponse()
                return
            }
            let timeout = cluster.limits.connectTimeout ?? runtime.config.limits.connectTimeout
            let session = UpstreamHTTP2Session.connect(
                to: endpoint, cluster: cluster, loop: loop, on: eventLoop, timeout: timeout)
            stream = session.openStream()
            loop.addHTTP2Session(session)
        }
        stream.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let connection): connected(connection, generation: generation)
            case .failure: connectFailed(generation: generation)
            }
        }
    }

    /// Opens a new upstream connection on this event loop.
    func connect(_ endpoint: EndpointRuntime) {
        guard let eventLoop = downstreamEventLoop, let exchange else { return }
        let cluster = exchange.cluster
        let loop = self.loop
        cluster.stats.upstreamCxActive.add(1, ordering: .relaxed)
        let generation = self.generation
        let timeout = cluster.limits.connectTimeout ?? runtime.config.limits.connectTimeout
        UpstreamConnector.connect(to: endpoint, cluster: cluster, loop: loop, on: eventLoop, timeout: timeout)
            .assumeIsolated().whenComplete { [self] result in
                switch result {
                case .success(let connection):
                    connected(connection, generation: generation)
                case .failure:
                    cluster.stats.upstreamCxActive.subtract(1, ordering: .relaxed)
                    cluster.stats.upstreamCxConnectFail.add(1, ordering: .relaxed)
                    loop.slotFreed(in: cluster)
                    connectFailed(generation: generation)
                }
            }
    }

    private func connected(_ connection: UpstreamConnection, generation: Int) {
        guard self.generation == generation, let exchange, exchange.upstream == nil, !closing else {
            loop.release(connection)
            return
        }
        attach(connection)
    }

    /// A pooled connection was handed over while this request waited.
    func connectionAvailable(_ connection: UpstreamConnection) {
        guard exchange?.waiting == true else {
            loop.release(connection)
            return
        }
        exchange?.waiting = false
        exchange?.cluster.stats.upstreamRqPendingActive.subtract(1, ordering: .relaxed)
        if exchange?.endpoint !== connection.endpoint, let old = exchange?.endpoint {
            old.activeRequests.subtract(1, ordering: .relaxed)
            connection.endpoint.activeRequests.add(1, ordering: .relaxed)
            exchange?.endpoint = connection.endpoint
        }
        attach(connection)
    }

    /// A connection slot freed up while this request waited: open a connection now.
    func connectionSlotAvailable() {
        guard let endpoint = exchange?.endpoint, exchange?.waiting == true else { return }
        exchange?.waiting = false
        exchange?.cluster.stats.upstreamRqPendingActive.subtract(1, ordering: .relaxed)
        connect(endpoint)
    }

    /// Sends the request (head, what body has arrived, end if it has) over `connection`.
    private func attach(_ connection: UpstreamConnection) {
        guard let exchange else { return }
        connection.owner = self
        connection.requestsServed += 1
        exchange.upstream = connection
        connection.write(.head(exchange.head))
        for chunk in exchange.buffered {
            connection.write(.body(.byteBuffer(chunk)))
        }
        if !exchange.machine.retaining {
            exchange.buffered.removeAll()
            exchange.bufferedBytes = 0
        }
        if exchange.machine.requestEnded { connection.write(.end(exchange.trailers)) }
        connection.flush()
        if connection.isWritable { resumeDownstreamReads() }
    }

    private func connectFailed(generation: Int) {
        guard self.generation == generation, let exchange else { return }
        if let endpoint = exchange.endpoint { exchange.cluster.recordOutcome(endpoint, status: nil) }
        tryFailed(.connectFailed)
    }

    /// The current try failed: the exchange's machine chooses another try, a local answer, or cutting the
    /// downstream off (the response had begun).
    func tryFailed(_ failure: ExchangeStateMachine.Failure) {
        exchange?.releaseRetry()
        guard let exchange else { return }
        let action = exchange.machine.failed(failure, retriesAvailable: exchange.cluster.retryBudgetAvailable)
        switch action {
        case .ignore:
            return
        case .retry:
            retry()
        case .reset:
            abandonExchange()
            closeDownstream()
        case .respond(let answer), .overflow(let answer):
            if case .overflow = action { exchange.cluster.stats.upstreamRqRetryOverflow.add(1, ordering: .relaxed) }
            responseFlags = answer.flags
            errorResponse(HTTPResponseStatus(statusCode: answer.status), body: answer.body)
        }
    }

    /// Drops the current try's connection and starts the next one, holding one of the cluster's retries.
    func retry() {
        guard let exchange else { return }
        let stats = exchange.cluster.stats
        stats.upstreamRqRetry.add(1, ordering: .relaxed)
        exchange.holdRetry()
        exchange.perTryTimeout?.cancel()
        exchange.perTryTimeout = nil
        if let upstream = exchange.upstream {
            upstream.owner = nil
            upstream.close()
            exchange.upstream = nil
        }
        if let endpoint = exchange.endpoint {
            endpoint.activeRequests.subtract(1, ordering: .relaxed)
            exchange.endpoint = nil
        }
        startAttempt()
    }

    func routeTimedOut(generation: Int) {
        guard let exchange else { return }
        exchange.cluster.stats.upstreamRqTimeout.add(1, ordering: .relaxed)
        tryFailed(.routeTimedOut)
    }

    private func perTryTimedOut(generation: Int) {
        guard self.generation == generation, let exchange, !exchange.machine.responseStarted else { return }
        exchange.cluster.stats.upstreamRqTimeout.add(1, ordering: .relaxed)
        if let endpoint = exchange.endpoint { exchange.cluster.recordOutcome(endpoint, status: 504) }
        tryFailed(.perTryTimedOut)
    }
}

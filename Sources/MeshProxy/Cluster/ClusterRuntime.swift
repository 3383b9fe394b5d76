import NIOCore
import NIOSSL
import Synchronization

/// One cluster while the proxy runs: endpoints, load balancer, circuit-breaker counters, outlier detection and
/// the TLS context for origination. Shared by all event loops; mutable state is atomic.
final class ClusterRuntime: Sendable {
    let config: ClusterConfig
    let endpoints: [EndpointRuntime]
    let stats = ClusterStats()
    /// Client TLS context when the cluster originates TLS.
    let tlsContext: NIOSSLContext?
    /// The context of auto mTLS toward meshed endpoints (no DestinationRule TLS, an identity, meshed endpoints).
    let autoMTLSContext: NIOSSLContext?
    /// The auto mTLS context of TCP connections, which also offers ALPN `istio-peer-exchange` (Istio's TCP
    /// metadata exchange); set with `autoMTLSContext`.
    let tcpAutoMTLSContext: NIOSSLContext?
    /// Whether requests get Istio's metadata exchange headers (a sidecar fronts some endpoint).
    let isMeshed: Bool
    /// The destination service of outbound metrics: the service host of the cluster's name
    /// (`outbound|9080||reviews.default.svc.cluster.local`), worked out once rather than per request.
    let metricsDestination: IstioMetrics.Labels.DestinationService?
    private let roundRobin = Atomic<Int>(0)
    /// When the last outlier analysis sweep ran (uptime nanoseconds).
    private let lastSweep = Atomic<Int64>(ClusterRuntime.uptime)

    init(
        config: ClusterConfig, endpoints: [EndpointRuntime], tlsContext: NIOSSLContext?, autoMTLSContext: NIOSSLContext? = nil,
        tcpAutoMTLSContext: NIOSSLContext? = nil
    ) {
        self.config = config
        self.endpoints = endpoints
        self.tlsContext = tlsContext
        self.autoMTLSContext = autoMTLSContext
        self.tcpAutoMTLSContext = tcpAutoMTLSContext
        self.isMeshed = config.hasMeshedEndpoints
        self.metricsDestination = IstioMetrics.Labels.DestinationService(
            host: config.name.split(separator: "|").first.map(String.init) ?? config.name)
    }

    /// How connections to `endpoint` are secured: the cluster's own TLS, else auto mTLS when the endpoint is
    /// meshed, else none. Auto mTLS of a `tcp` connection offers Istio's TCP metadata exchange.
    func origination(for endpoint: EndpointRuntime, tcp: Bool = false) -> (context: NIOSSLContext, settings: UpstreamTLSConfig)? {
        if let tlsContext, let settings = config.tls { return (tlsContext, settings) }
        if let context = tcp ? tcpAutoMTLSContext : autoMTLSContext, let settings = config.autoMTLS, endpoint.config.isMeshed {
            return (context, settings)
        }
        return nil
    }

    var limits: ConnectionPoolLimits { config.connectionPool }

    /// Whether the retry circuit breaker (`maxRetries` retries outstanding) has room for one more.
    var retryBudgetAvailable: Bool { stats.upstreamRqRetryActive.load(ordering: .relaxed) < limits.maxRetries }

    /// Chooses an endpoint for a request; `hash` is the consistent-hash input when the policy needs one,
    /// `random` a per-loop random number. Ejected endpoints are skipped unless all are ejected (panic mode).
    func pickEndpoint(hash: UInt64?, random: UInt64) -> EndpointRuntime? {
        let detects = config.outlierDetection != nil
        if detects { sweepOutliers() }
        let count = endpoints.count
        if count <= 1 { return endpoints.first }
        func usable(_ index: Int) -> Bool { !detects || !endpoints[index].isEjected }
        var start: Int
        switch config.loadBalancer {
        case .roundRobin:
            start = roundRobin.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
        case .random:
            start = Int(truncatingIfNeeded: random & UInt64(Int.max))
        case .leastRequest:
            let a = Int(truncatingIfNeeded: random % UInt64(count))
            var b = Int(truncatingIfNeeded: (random >> 32) % UInt64(count))
            if b == a { b = (a + 1) % count }
            let first = usable(a) ? a : b
            let second = usable(b) ? b : a
            let pick = endpoints[first].activeRequests.load(ordering: .relaxed)
                <= endpoints[second].activeRequests.load(ordering: .relaxed) ? first : second
            if usable(pick) { return endpoints[pick] }
            start = pick
        case .consistentHash:
            start = Self.jumpHash(key: hash ?? random, buckets: count)
        }
        for offset in 0..<count {
            let index = (start &+ offset) % count
            if usable(index) { return endpoints[index] }
        }
        return endpoints[start % count]
    }

    /// Lamping & Veach's jump consistent hash: few keys move when endpoints are added or removed.
    static func jumpHash(key: UInt64, buckets: Int) -> Int {
        var key = key
        var b: Int64 = -1
        var j: Int64 = 0
        while j < Int64(buckets) {
            b = j
            key = key &* 2862933555777941757 &+ 1
            j = Int64(Double(b + 1) * (Double(Int64(1) << 31) / Double((key >> 33) + 1)))
        }
        return Int(b)
    }

    // MARK: Outlier detection

    /// Records the outcome of a request to `endpoint` for outlier detection: an HTTP status, or `nil` for a
    /// connect failure or reset (counted as a gateway error, as Envoy does for locally originated failures).
    func recordOutcome(_ endpoint: EndpointRuntime, status: Int?) {
        guard let detection = config.outlierDetection else { return }
        let isServerError = status.map { $0 >= 500 } ?? true
        let isGatewayError = status.map { $0 == 502 || $0 == 503 || $0 == 504 } ?? true
        guard isServerError else {
            if endpoint.consecutive5xx.load(ordering: .relaxed) != 0 { endpoint.consecutive5xx.store(0, ordering: .relaxed) }
            if endpoint.consecutiveGatewayErrors.load(ordering: .relaxed) != 0 {
                endpoint.consecutiveGatewayErrors.store(0, ordering: .relaxed)
            }
            return
        }
        var trip = false
        let fives = endpoint.consecutive5xx.add(1, ordering: .relaxed).newValue
        if detection.consecutive5xxErrors > 0, fives >= detection.consecutive5xxErrors { trip = true }
        if isGatewayError {
            let gateways = endpoint.consecutiveGatewayErrors.add(1, ordering: .relaxed).newValue
            if detection.consecutiveGatewayErrors > 0, gateways >= detection.consecutiveGatewayErrors { trip = true }
        } else if endpoint.consecutiveGatewayErrors.load(ordering: .relaxed) != 0 {
            endpoint.consecutiveGatewayErrors.store(0, ordering: .relaxed)
        }
        if trip { eject(endpoint, detection: detection) }
    }

    private func eject(_ endpoint: EndpointRuntime, detection: OutlierDetectionConfig) {
        let now = Self.uptime
        sweepOutliers(now: now)
        let ejected = endpoints.reduce(0) { $0 + ($1.isEjected ? 1 : 0) }
        // Envoy ejects only while the ejected share is below maxEjectionPercent (so at least one host).
        guard ejected * 100 < detection.maxEjectionPercent * endpoints.count else { return }
        let done = endpoint.outlier.withLock { state in
            guard !state.isEjected else { return false }
            state.eject(now: now, policy: detection)
            return true
        }
        guard done else { return }
        endpoint.consecutive5xx.store(0, ordering: .relaxed)
        endpoint.consecutiveGatewayErrors.store(0, ordering: .relaxed)
        stats.outlierEjectionsTotal.add(1, ordering: .relaxed)
        stats.outlierEjectionsActive.add(1, ordering: .relaxed)
    }

    /// Runs the analysis sweeps due by `now`, one per `interval` since the last. Envoy runs them on a timer;
    /// here the next request or admin read runs those that fell due.
    func sweepOutliers(now: Int64 = ClusterRuntime.uptime) {
        guard let detection = config.outlierDetection else { return }
        let interval = max(1, detection.interval.nanoseconds)
        let last = lastSweep.load(ordering: .relaxed)
        let due = (now - last) / interval
        // The request that claims the due sweeps runs them; the others go on at once.
        guard due > 0, lastSweep.compareExchange(expected: last, desired: last + due * interval, ordering: .relaxed).exchanged
        else { return }
        let sweeps = Int(due)
        for endpoint in endpoints where endpoint.outlier.withLock({ $0.sweep(now: now, sweeps: sweeps) }) {
            stats.outlierEjectionsActive.subtract(1, ordering: .relaxed)
        }
    }

    /// Endpoints ejected right now.
    var ejectedCount: Int {
        sweepOutliers()
        return endpoints.reduce(0) { $0 + ($1.isEjected ? 1 : 0) }
    }

    static var uptime: Int64 { NIODeadline.now().uptimeNanoseconds.clampedToInt64 }
}

extension UInt64 {
    var clampedToInt64: Int64 { self > UInt64(Int64.max) ? Int64.max : Int64(self) }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return product &+ attoseconds / 1_000_000_000
    }

    /// The duration as a NIO `TimeAmount`.
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}

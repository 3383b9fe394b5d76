import NIOCore
import NIOSSL
import Synchronization

/// The keys of one `jwksUri`, fetched by the proxy: at start, then every refresh interval, retried with
/// backoff when a fetch fails (`JWKSCache` decides). Every event loop reads the current keys under a lock
/// (a copy-on-write array, no parsing on the request path); verification stays synchronous.
final class RemoteJWKS: Sendable {
    let endpoint: JWKSEndpoint
    let fetchTimeout: Duration
    /// The settings it was made with (a reload keeps a fetcher only when these are unchanged).
    let config: JWKSFetchConfig
    /// Bodies over this are refused (a JWKS is a few KB).
    static let maxDocumentBytes = 1 << 20
    private let cache: Mutex<JWKSCache>
    private let tls: NIOSSLContext?
    private let eventLoop: any EventLoop
    private let stats: ProxyStats
    /// Fetch failures go to its `jwt` logger.
    private let log: ProxyLog
    private let scheduled = Mutex<Scheduled<Void>?>(nil)
    private let stopped = Atomic<Bool>(false)
    /// Picks each refresh's jitter (injected so tests are deterministic).
    private let random: @Sendable () -> UInt64

    init(
        endpoint: JWKSEndpoint, fetchTimeout: Duration, config: JWKSFetchConfig, tls: NIOSSLContext?,
        eventLoop: any EventLoop, stats: ProxyStats, log: ProxyLog = ProxyLog(),
        random: @escaping @Sendable () -> UInt64 = { .random(in: .min ... .max) }
    ) {
        self.log = log
        self.random = random
        self.endpoint = endpoint
        self.fetchTimeout = fetchTimeout
        self.config = config
        self.cache = Mutex(JWKSCache(policy: config))
        self.tls = tls
        self.eventLoop = eventLoop
        self.stats = stats
    }

    /// The keys to check tokens against now; `nil` while none were fetched or the last good ones are stale.
    var currentKeys: [JSONWebKey]? {
        let now = NIODeadline.now().uptimeNanoseconds.clampedToInt64
        return cache.withLock { $0.keys(at: now) }
    }

    /// Fetches now, and keeps refreshing until `stop`.
    func start() {
        eventLoop.execute { self.fetch() }
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        scheduled.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    private func fetch() {
        guard !stopped.load(ordering: .acquiring) else { return }
        let request = HTTPOneShot.Request(
            method: .GET, target: endpoint.target, path: endpoint.path, headers: [("accept", "application/json")],
            tls: endpoint.secure ? tls : nil, serverName: endpoint.host, timeout: fetchTimeout.timeAmount,
            maxResponseBytes: Self.maxDocumentBytes)
        HTTPOneShot.send(request, on: eventLoop).whenComplete { result in
            let keys: Result<[JSONWebKey], any Error> = result.flatMap { response in
                guard response.status == 200 else { return .failure(JWTError("HTTP status \(response.status)")) }
                return Result { try JSONWebKey.parseSet(String(decoding: response.body, as: UTF8.self)) }
            }
            self.finish(keys)
        }
    }

    private func finish(_ result: Result<[JSONWebKey], any Error>) {
        let now = NIODeadline.now().uptimeNanoseconds.clampedToInt64
        let (delay, firstFailure) = cache.withLock { cache -> (Int64, Bool) in
            switch result {
            case .success(let keys): return (cache.succeeded(keys, now: now, random: random()), false)
            case .failure: return (cache.failed(now: now), cache.failures == 1)
            }
        }
        switch result {
        case .success:
            stats.jwksFetchSuccess.add(1, ordering: .relaxed)
        case .failure(let error):
            stats.jwksFetchFailed.add(1, ordering: .relaxed)
            if firstFailure { log.write("jwt", .warning, "jwks fetch \(endpoint) failed: \(error) (retrying)") }
        }
        guard !stopped.load(ordering: .acquiring) else { return }
        let task = eventLoop.scheduleTask(in: .nanoseconds(delay)) { self.fetch() }
        scheduled.withLock { $0 = task }
        if stopped.load(ordering: .acquiring) { task.cancel() }
    }
}

extension RemoteJWKS {
    /// One fetcher per distinct `jwksUri` of `rules`. Those of `previous` (the runtime a reload replaces) with
    /// the same URI, timeout and settings carry over with their keys and schedule; the others are made here,
    /// not started (`fresh`), so a runtime that fails to build leaves nothing running.
    static func fetchers(
        for rules: [RequestAuthenticator.Rule], config: JWKSFetchConfig, previous: [JWKSEndpoint: RemoteJWKS],
        group: any EventLoopGroup, stats: ProxyStats, log: ProxyLog = ProxyLog()
    ) throws -> (all: [JWKSEndpoint: RemoteJWKS], fresh: [RemoteJWKS]) {
        var all: [JWKSEndpoint: RemoteJWKS] = [:]
        var fresh: [RemoteJWKS] = []
        var tls: NIOSSLContext?
        for rule in rules {
            guard let endpoint = rule.jwksURI, all[endpoint] == nil else { continue }
            if let old = previous[endpoint], old.config == config, old.fetchTimeout == rule.fetchTimeout {
                all[endpoint] = old
                continue
            }
            if endpoint.secure && tls == nil { tls = try TLSContexts.jwksClient(caFile: config.caFile) }
            let fetcher = RemoteJWKS(
                endpoint: endpoint, fetchTimeout: rule.fetchTimeout, config: config, tls: endpoint.secure ? tls : nil,
                eventLoop: group.next(), stats: stats, log: log)
            all[endpoint] = fetcher
            fresh.append(fetcher)
        }
        return (all, fresh)
    }
}

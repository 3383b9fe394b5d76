import NIOHTTP1
import Synchronization

/// One configured local rate limit while the proxy runs: its bucket (or a bucket per header value), its
/// counters, and the decision for a request.
final class LocalRateLimiter: Sendable {
    /// What happens to a request.
    enum Decision {
        /// Not checked, or within the limit: forward, adding `headers` to the response.
        case pass(headers: [(String, String)])
        /// Over the limit and enforced: 429 with `headers`.
        case limited(headers: [(String, String)])
    }

    /// Distinct header values tracked with a bucket each; more share one overflow bucket.
    static let maxKeyedBuckets = 10_000

    let config: LocalRateLimitConfig
    private let shared: TokenBucket
    private let keyed: Mutex<[String: TokenBucket]>
    /// One bucket per configured descriptor, in order.
    private let descriptorBuckets: [TokenBucket]
    /// Envoy's `http_local_rate_limit.{enabled,ok,rate_limited,enforced}`.
    let enabled = Atomic<Int>(0)
    let ok = Atomic<Int>(0)
    let rateLimited = Atomic<Int>(0)
    let enforced = Atomic<Int>(0)

    init(config: LocalRateLimitConfig, now: Int64) {
        self.config = config
        self.shared = TokenBucket(
            maxTokens: config.maxTokens, tokensPerFill: config.tokensPerFill, fillInterval: config.fillInterval, now: now)
        self.keyed = Mutex([:])
        self.descriptorBuckets = config.descriptors.map {
            TokenBucket(maxTokens: $0.maxTokens, tokensPerFill: $0.tokensPerFill, fillInterval: $0.fillInterval, now: now)
        }
    }

    /// Whether the limit covers a request matched by the route named `routeName`.
    func applies(routeName: String?) -> Bool {
        guard let route = config.route else { return true }
        return route == routeName
    }

    /// Checks one request; `roll` is a uniform random number (for the enabled/enforced percentages).
    func check(_ head: HTTPRequestHead, now: Int64, roll: UInt64) -> Decision {
        if config.enabledPercent < 100, Double(roll % 10_000) >= config.enabledPercent * 100 { return .pass(headers: []) }
        enabled.add(1, ordering: .relaxed)
        let (bucket, limit) = bucket(for: head, now: now)
        let outcome = bucket.take(now: now)
        let limitHeaders = config.rateLimitHeaders
            ? [("x-ratelimit-limit", String(limit)), ("x-ratelimit-remaining", String(outcome.remaining)),
               ("x-ratelimit-reset", String(outcome.resetSeconds))]
            : []
        if outcome.allowed {
            ok.add(1, ordering: .relaxed)
            return .pass(headers: limitHeaders)
        }
        rateLimited.add(1, ordering: .relaxed)
        let enforce = config.enforcedPercent >= 100 || Double((roll >> 20) % 10_000) < config.enforcedPercent * 100
        guard enforce else { return .pass(headers: limitHeaders) }
        enforced.add(1, ordering: .relaxed)
        return .limited(headers: [("x-envoy-ratelimited", "true")] + config.responseHeaders + limitHeaders)
    }

    /// The bucket a request takes from and its size: the first configured descriptor the request produces, else
    /// the one of its header value, else the shared one.
    private func bucket(for head: HTTPRequestHead, now: Int64) -> (TokenBucket, Int) {
        if !config.descriptors.isEmpty {
            let produced = RequestHeadersAction.descriptors(of: head, rateLimits: config.rateLimitActions)
            if let index = config.descriptors.firstIndex(where: { produced.contains($0.entries) }) {
                return (descriptorBuckets[index], config.descriptors[index].maxTokens)
            }
        }
        return (keyedBucket(for: head.headers, now: now), config.maxTokens)
    }

    private func keyedBucket(for headers: HTTPHeaders, now: Int64) -> TokenBucket {
        guard let name = config.perHeader, let value = headers.first(name: name) else { return shared }
        return keyed.withLock { buckets in
            if let existing = buckets[value] { return existing }
            guard buckets.count < Self.maxKeyedBuckets else { return shared }
            let created = TokenBucket(
                maxTokens: config.maxTokens, tokensPerFill: config.tokensPerFill, fillInterval: config.fillInterval, now: now)
            buckets[value] = created
            return created
        }
    }

    /// Name/value pairs for `/stats`.
    var values: [(String, Int)] {
        let prefix = "\(config.statPrefix).http_local_rate_limit"
        return [
            ("\(prefix).enabled", enabled.load(ordering: .relaxed)), ("\(prefix).ok", ok.load(ordering: .relaxed)),
            ("\(prefix).rate_limited", rateLimited.load(ordering: .relaxed)),
            ("\(prefix).enforced", enforced.load(ordering: .relaxed)),
        ]
    }
}

/// The keys fetched from one `jwksUri` and the decisions around them, without I/O: when to fetch next
/// (within the last tenth of the refresh interval on success, with exponential backoff on failure), and whether the keys are
/// still usable (a failed refresh keeps the last good keys until they are older than `maxStaleness`).
/// Times are uptime nanoseconds.
struct JWKSCache: Sendable {
    let policy: JWKSFetchConfig
    private(set) var keys: [JSONWebKey]?
    /// When the current keys were fetched.
    private(set) var fetchedAt: Int64?
    /// Failed fetches since the last good one.
    private(set) var failures = 0

    init(policy: JWKSFetchConfig) { self.policy = policy }

    /// A fetch brought `keys`: they replace the old ones. Returns the delay until the next fetch: the refresh
    /// interval less a jitter of up to a tenth of it, picked by `random`, so proxies that started together
    /// don't refresh in lockstep (and keys are never kept past the interval without a refresh).
    mutating func succeeded(_ keys: [JSONWebKey], now: Int64, random: UInt64) -> Int64 {
        self.keys = keys
        fetchedAt = now
        failures = 0
        let interval = policy.refreshInterval.nanoseconds
        return interval - Int64(random % UInt64(interval / 10 + 1))
    }

    /// A fetch failed (network, TLS, status, size or a bad document): the old keys stay while they are fresh
    /// enough and are dropped once stale. Returns the delay until the retry: `retryBase` doubled per
    /// consecutive failure, at most `retryMax` and never beyond the refresh interval.
    mutating func failed(now: Int64) -> Int64 {
        failures += 1
        if keys != nil && !isFresh(now: now) {
            keys = nil
            fetchedAt = nil
        }
        let cap = min(policy.retryMax.nanoseconds, policy.refreshInterval.nanoseconds)
        let exponent = min(failures - 1, 30)
        let (delay, overflow) = policy.retryBase.nanoseconds.multipliedReportingOverflow(by: Int64(1) << exponent)
        return overflow ? cap : min(delay, cap)
    }

    /// The keys tokens are checked against at `now`: `nil` before the first good fetch and once the last good
    /// one is older than `maxStaleness`.
    func keys(at now: Int64) -> [JSONWebKey]? {
        isFresh(now: now) ? keys : nil
    }

    private func isFresh(now: Int64) -> Bool {
        guard let fetchedAt else { return false }
        return now - fetchedAt <= policy.maxStaleness.nanoseconds
    }
}

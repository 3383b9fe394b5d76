import MeshCore
import Testing
@testable import MeshProxy

/// The pure parts of `jwksUri`: refresh, backoff and staleness decisions, and URI parsing.
@Suite("JWKS fetch decisions")
struct JWKSCacheTests {
    static let second: Int64 = 1_000_000_000
    static let keys = try! JSONWebKey.parseSet(JWTFixture.shared.jwks)

    static func policy(refresh: Int = 600, stale: Int = 3600, base: Int = 1, max: Int = 60) -> JWKSFetchConfig {
        var policy = JWKSFetchConfig()
        policy.refreshInterval = .seconds(refresh)
        policy.maxStaleness = .seconds(stale)
        policy.retryBase = .seconds(base)
        policy.retryMax = .seconds(max)
        return policy
    }

    @Test("no keys before the first fetch; a good fetch is used and refreshed after the refresh interval")
    func firstFetch() {
        var cache = JWKSCache(policy: Self.policy())
        #expect(cache.keys(at: 0) == nil)
        #expect(cache.succeeded(Self.keys, now: 10 * Self.second) == 600 * Self.second)
        #expect(cache.keys(at: 11 * Self.second)?.count == Self.keys.count)
    }

    @Test("failures back off exponentially from retryBase up to retryMax, and reset after a success")
    func backoff() {
        var cache = JWKSCache(policy: Self.policy(base: 1, max: 10))
        let delays = (0..<6).map { _ in cache.failed(now: 0) / Self.second }
        #expect(delays == [1, 2, 4, 8, 10, 10])
        _ = cache.succeeded(Self.keys, now: 0)
        #expect(cache.failed(now: Self.second) == Self.second)
    }

    @Test("a retry is never later than the refresh interval")
    func backoffBoundedByRefresh() {
        var cache = JWKSCache(policy: Self.policy(refresh: 3, stale: 10, base: 2, max: 60))
        #expect([cache.failed(now: 0), cache.failed(now: 0), cache.failed(now: 0)].map { $0 / Self.second } == [2, 3, 3])
    }

    @Test("failed refreshes keep the last good keys until they are older than maxStaleness, then drop them")
    func staleKeysDropped() {
        var cache = JWKSCache(policy: Self.policy(refresh: 600, stale: 3600))
        _ = cache.succeeded(Self.keys, now: 0)
        _ = cache.failed(now: 600 * Self.second)
        #expect(cache.keys(at: 601 * Self.second) != nil, "a failed refresh keeps the old keys")
        #expect(cache.keys(at: 3600 * Self.second) != nil)
        #expect(cache.keys(at: 3601 * Self.second) == nil, "stale keys are not used even before the next failure")
        _ = cache.failed(now: 3602 * Self.second)
        #expect(cache.keys == nil, "a failure after the bound drops them")
        _ = cache.succeeded(Self.keys, now: 3700 * Self.second)
        #expect(cache.keys(at: 3701 * Self.second) != nil)
    }

    @Test(
        "jwksUri parsing",
        arguments: [
            ("https://idp.example/.well-known/jwks.json", "https://idp.example:443/.well-known/jwks.json"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
            ("HTTPS://[::1]:9443/keys?v=2#frag", "https://[::1]:9443/keys?v=2"),
            ("https://idp.example?x=1", "https://idp.example:443/?x=1"),
        ])
    func endpoints(_ uri: String, _ expected: String) {
        #expect(JWKSEndpoint(uri)?.description == expected)
    }

    @Test("jwksUri refusals", arguments: ["ftp://idp/jwks", "https://", "https://:443/x", "https://a@idp/x", "https://idp:0/x", "https://[::1/x"])
    func badEndpoints(_ uri: String) {
        #expect(JWKSEndpoint(uri) == nil)
    }
}

import MeshCore
import MeshPolicy
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import MeshProxy

/// The pure parts of `jwksUri`: refresh, backoff and staleness decisions, URI parsing, and what a rule whose
/// keys are not fetched answers.
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
        #expect(cache.succeeded(Self.keys, now: 10 * Self.second, random: 0) == 600 * Self.second)
        #expect(cache.keys(at: 11 * Self.second)?.count == Self.keys.count)
    }

    @Test("failures back off exponentially from retryBase up to retryMax, and reset after a success")
    func backoff() {
        var cache = JWKSCache(policy: Self.policy(base: 1, max: 10))
        let delays = (0..<6).map { _ in cache.failed(now: 0) / Self.second }
        #expect(delays == [1, 2, 4, 8, 10, 10])
        _ = cache.succeeded(Self.keys, now: 0, random: 0)
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
        _ = cache.succeeded(Self.keys, now: 0, random: 0)
        _ = cache.failed(now: 600 * Self.second)
        #expect(cache.keys(at: 601 * Self.second) != nil, "a failed refresh keeps the old keys")
        #expect(cache.keys(at: 3600 * Self.second) != nil)
        #expect(cache.keys(at: 3601 * Self.second) == nil, "stale keys are not used even before the next failure")
        _ = cache.failed(now: 3602 * Self.second)
        #expect(cache.keys == nil, "a failure after the bound drops them")
        _ = cache.succeeded(Self.keys, now: 3700 * Self.second, random: 0)
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

    static func rules(_ rule: String) throws -> [RequestAuthenticator.Rule] {
        let yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: assets}
            spec:
              jwtRules: [{issuer: "\(JWTFixture.issuer)", \(rule)}]
            """
        guard case .requestAuthentication(let policy)? = try MeshResource.decode(YAML.parse(yaml)) else {
            throw JWTError("not a RequestAuthentication")
        }
        return try RequestAuthenticator.rules(from: [policy], workload: Workload(namespace: "assets"), rootNamespace: "istio-system")
    }

    @Test("with both jwks and jwksUri the inline keys win (as in Istio); timeout sets the fetch timeout")
    func inlineWins() throws {
        let both = try Self.rules("jwks: '\(JWTFixture.shared.jwks)', jwksUri: 'https://idp.example/jwks'")
        #expect(both[0].jwksURI == nil)
        #expect(both[0].keys.count == Self.keys.count)
        let remote = try Self.rules("jwksUri: 'https://idp.example/jwks', timeout: 2s")
        #expect(remote[0].jwksURI == JWKSEndpoint("https://idp.example/jwks"))
        #expect(remote[0].fetchTimeout == .seconds(2))
    }

    @Test("refreshes are spread over the last tenth of the refresh interval by the random source, never past it")
    func refreshJitter() {
        var cache = JWKSCache(policy: Self.policy(refresh: 600))
        #expect(cache.succeeded(Self.keys, now: 0, random: 0) == 600 * Self.second)
        #expect(cache.succeeded(Self.keys, now: 0, random: UInt64(15 * Self.second)) == 585 * Self.second)
        #expect(cache.succeeded(Self.keys, now: 0, random: UInt64(60 * Self.second)) == 540 * Self.second)
        var generator = SplitMix64(seed: 1)
        let delays = (0..<200).map { _ in cache.succeeded(Self.keys, now: 0, random: generator.next()) }
        #expect(delays.allSatisfy { (540 * Self.second...600 * Self.second).contains($0) })
        #expect(Set(delays).count > 100, "proxies would refresh in lockstep")
    }

    @Test("a token for a jwksUri rule whose keys are not fetched yet gets Envoy's 'Jwks remote fetch is failed'")
    func notFetched() throws {
        let rules = try Self.rules("jwksUri: 'https://idp.example/jwks'")
        let endpoint = try #require(rules[0].jwksURI)
        let loop = EmbeddedEventLoop()
        let fetcher = RemoteJWKS(
            endpoint: endpoint, fetchTimeout: .seconds(1), config: JWKSFetchConfig(), tls: nil, eventLoop: loop, stats: ProxyStats())
        let authenticator = try #require(RequestAuthenticator(rules: rules, remoteKeys: [endpoint: fetcher]))
        let token = JWTFixture.shared.token()
        let outcome = authenticator.authenticate(
            headers: HTTPHeaders([("authorization", "Bearer \(token)")]), uri: "/", now: JWTFixture.now)
        guard case .rejected(let reason) = outcome else {
            Issue.record("accepted without keys: \(outcome)")
            return
        }
        #expect(reason == "Jwks remote fetch is failed")
    }
}

@Suite("JWKS fetchers across reloads")
struct RemoteJWKSReuseTests {
    @Test("a reload keeps the fetcher of an unchanged jwksUri (its keys and schedule) and makes new ones for changes")
    func reuse() throws {
        let loop = EmbeddedEventLoop()
        let stats = ProxyStats()
        let first = try JWKSCacheTests.rules("jwksUri: 'http://127.0.0.1:1/a'")
            + JWKSCacheTests.rules("jwksUri: 'http://127.0.0.1:1/a'")
            + JWKSCacheTests.rules("jwksUri: 'http://127.0.0.1:1/b'")
        let (before, fresh) = try RemoteJWKS.fetchers(for: first, config: JWKSFetchConfig(), previous: [:], group: loop, stats: stats)
        #expect(before.count == 2, "one fetcher per distinct URI")
        #expect(fresh.count == 2)

        let second = try JWKSCacheTests.rules("jwksUri: 'http://127.0.0.1:1/a'")
            + JWKSCacheTests.rules("jwksUri: 'http://127.0.0.1:1/b', timeout: 1s")
        let (after, made) = try RemoteJWKS.fetchers(for: second, config: JWKSFetchConfig(), previous: before, group: loop, stats: stats)
        let a = try #require(JWKSEndpoint("http://127.0.0.1:1/a"))
        let b = try #require(JWKSEndpoint("http://127.0.0.1:1/b"))
        #expect(after[a] === before[a])
        #expect(after[b] !== before[b], "a changed timeout makes a new fetcher")
        #expect(made.map(\.endpoint) == [b])

        var changed = JWKSFetchConfig()
        changed.refreshInterval = .seconds(60)
        let (third, _) = try RemoteJWKS.fetchers(for: second, config: changed, previous: after, group: loop, stats: stats)
        #expect(third[a] !== after[a], "changed fetch settings make new fetchers")
    }
}

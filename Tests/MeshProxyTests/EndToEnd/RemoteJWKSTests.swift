import Crypto
import MeshCore
import MeshProxy
import MeshTestSupport
import NIOPosix
import Testing

/// `jwksUri` end to end: the proxy fetches the JWKS from an HTTPS server of the test, refreshes it, keeps the
/// last good keys through failures and bad documents until they are stale, and refuses untrusted servers.
@Suite("RequestAuthentication with jwksUri", .serialized)
struct RemoteJWKSTests {
    /// A second key set (new EC key under kid `ec-2`): what the identity provider rotates to.
    static let rotated = JWTFixture(
        rsa: JWTFixture.shared.rsa, ec: P256.Signing.PrivateKey(), stranger: P256.Signing.PrivateKey(),
        ed: Curve25519.Signing.PrivateKey())
    static var rotatedJWKS: String { rotated.jwks.replacingOccurrences(of: "\"ec-1\"", with: "\"ec-2\"") }

    static func policy(_ uri: String) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: idp, namespace: default}
        spec:
          jwtRules: [{issuer: "\(JWTFixture.issuer)", jwksUri: "\(uri)", timeout: 2s}]
        """
    }

    struct Setup {
        let proxy: ProxyHarness
        let idp: JWKSServer
        let upstreams: Upstreams
        let group: MultiThreadedEventLoopGroup

        func status(_ token: String) async throws -> (Int, String) {
            let response = try await proxy.get("/echo", headers: [("authorization", "Bearer \(token)")])
            return (response.status, response.body)
        }

        func counter(_ name: String) async throws -> Int {
            let stats = try await proxy.admin("/stats").body
            let line = stats.split(separator: "\n").first { $0.hasPrefix("http.meshctl.jwt_authn.\(name): ") }
            return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
        }

        /// Waits until `name` has grown by at least `by` (counters only grow).
        func waitFor(_ name: String, toGrowFrom start: Int, by: Int = 2) async throws -> Bool {
            try await poll(timeout: .seconds(10)) { try await counter(name) >= start + by ? true : nil } ?? false
        }

        func stop() async {
            await proxy.stop()
            await idp.stop()
            await upstreams.stop()
            try? await group.shutdownGracefully()
        }
    }

    static func start(
        body: String, serverCert: (TestPKI) -> String = { $0.serverCert.path }, serverKey: (TestPKI) -> String = { $0.serverKey.path },
        ca: (TestPKI) -> String = { $0.caCert.path }, refresh: Duration = .milliseconds(300), maxStaleness: Duration = .seconds(4)
    ) async throws -> Setup {
        let pki = try TestPKI.shared.get()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let idp = try await JWKSServer.start(body: body, certificate: serverCert(pki), key: serverKey(pki), group: group)
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(yaml: policy(idp.uri), upstreams: upstreams.servers) { config in
            config.security.jwksFetch.caFile = ca(pki)
            config.security.jwksFetch.refreshInterval = refresh
            config.security.jwksFetch.maxStaleness = maxStaleness
            config.security.jwksFetch.retryBase = .milliseconds(50)
            config.security.jwksFetch.retryMax = .milliseconds(200)
        }
        return Setup(proxy: proxy, idp: idp, upstreams: upstreams, group: group)
    }

    @Test("a token validates once the JWKS is fetched; rotation: new-key tokens pass and old-key ones fail after a refresh")
    func fetchAndRotate() async throws {
        let setup = try await Self.start(body: JWTFixture.shared.jwks)
        defer { Task { await setup.stop() } }
        let old = JWTFixture.shared.token()
        let new = Self.rotated.token(kid: "ec-2")
        let fetched = try await poll(timeout: .seconds(10)) { try await setup.status(old).0 == 200 ? true : nil }
        #expect(fetched == true, "the token never validated")
        #expect(try await setup.status(new) == (401, "Jwks doesn't have key to match kid or alg from Jwt"))
        #expect(try await setup.counter("jwks_fetch_success") >= 1)

        setup.idp.set(body: Self.rotatedJWKS)
        let rotated = try await poll(timeout: .seconds(10)) { try await setup.status(new).0 == 200 ? true : nil }
        #expect(rotated == true, "the new key never validated")
        #expect(try await setup.status(old).0 == 401, "the old key is gone with the refresh")
        #expect(try await setup.counter("jwks_fetch_failed") == 0)
    }

    @Test("a failing server and a bad document keep the last good keys (counted as failures) until they are stale")
    func failuresKeepKeysUntilStale() async throws {
        let setup = try await Self.start(body: JWTFixture.shared.jwks, maxStaleness: .seconds(3))
        defer { Task { await setup.stop() } }
        let token = JWTFixture.shared.token()
        let fetched = try await poll(timeout: .seconds(10)) { try await setup.status(token).0 == 200 ? true : nil }
        #expect(fetched == true)

        setup.idp.set(status: .internalServerError, body: "{}")
        var failed = try await setup.counter("jwks_fetch_failed")
        #expect(try await setup.waitFor("jwks_fetch_failed", toGrowFrom: failed))
        #expect(try await setup.status(token).0 == 200, "the server failing keeps the old keys")

        setup.idp.set(body: #"{"keys": [{"kty": "RSA", "kid": "broken", "n": "AQAB", "e": "AQAB"}]}"#)
        failed = try await setup.counter("jwks_fetch_failed")
        #expect(try await setup.waitFor("jwks_fetch_failed", toGrowFrom: failed))
        #expect(try await setup.status(token).0 == 200, "a bad document is rejected and the old keys stay")

        let successes = try await setup.counter("jwks_fetch_success")
        setup.idp.set(body: String(repeating: " ", count: 1 << 20) + JWTFixture.shared.jwks)
        failed = try await setup.counter("jwks_fetch_failed")
        #expect(try await setup.waitFor("jwks_fetch_failed", toGrowFrom: failed), "a body over 1 MiB is refused")
        #expect(try await setup.counter("jwks_fetch_success") == successes)

        let dropped = try await poll(timeout: .seconds(10)) { try await setup.status(token).0 == 401 ? true : nil }
        #expect(dropped == true, "stale keys were not dropped")
        #expect(try await setup.status(token) == (401, "Jwks remote fetch is failed"))

        setup.idp.set(body: JWTFixture.shared.jwks)
        let recovered = try await poll(timeout: .seconds(10)) { try await setup.status(token).0 == 200 ? true : nil }
        #expect(recovered == true, "a fetch after recovery brings the keys back")
    }

    @Test("a reload with the same jwksUri keeps the fetched keys (no 401 window, no refetch); shutdown stops fetching")
    func reloadKeepsKeys() async throws {
        let setup = try await Self.start(body: JWTFixture.shared.jwks, refresh: .seconds(60), maxStaleness: .seconds(120))
        let token = JWTFixture.shared.token()
        let fetched = try await poll(timeout: .seconds(10)) { try await setup.status(token).0 == 200 ? true : nil }
        #expect(fetched == true)
        #expect(setup.idp.requests == 1)

        var config = setup.proxy.server.config
        config.accessLog = config.accessLog == nil ? AccessLogConfig() : nil
        try await setup.proxy.server.reload(config)
        #expect(try await setup.status(token).0 == 200, "the new runtime has the keys at once")
        #expect(setup.idp.requests == 1, "an unchanged fetcher carries over without refetching")

        config.security.jwksFetch.refreshInterval = .milliseconds(100)
        try await setup.proxy.server.reload(config)
        let refetched = try await poll(timeout: .seconds(10)) { setup.idp.requests >= 3 ? true : nil }
        #expect(refetched == true, "changed settings make a new fetcher that fetches and refreshes")
        await setup.proxy.stop()
        let after = setup.idp.requests
        try await Task.sleep(for: .milliseconds(400))
        #expect(setup.idp.requests == after, "no fetch after shutdown")
        await setup.idp.stop()
        await setup.upstreams.stop()
        try? await setup.group.shutdownGracefully()
    }

    enum Untrusted: String, CaseIterable, Sendable {
        case otherCA = "a certificate from a CA the proxy does not trust"
        case wrongName = "a trusted certificate for another host name"
    }

    @Test("the fetch fails against an untrusted server: tokens get 401 'Jwks remote fetch is failed'", arguments: Untrusted.allCases)
    func untrustedServer(_ kind: Untrusted) async throws {
        let setup = try await kind == .otherCA
            ? Self.start(body: JWTFixture.shared.jwks, ca: { $0.otherCACert.path })
            : Self.start(body: JWTFixture.shared.jwks, serverCert: { $0.namedServerCert.path }, serverKey: { $0.namedServerKey.path })
        defer { Task { await setup.stop() } }
        #expect(try await setup.waitFor("jwks_fetch_failed", toGrowFrom: 0))
        #expect(try await setup.status(JWTFixture.shared.token()) == (401, "Jwks remote fetch is failed"))
        #expect(setup.idp.requests == 0, "no request went past the TLS handshake")
        #expect(try await setup.counter("jwks_fetch_success") == 0)
    }
}

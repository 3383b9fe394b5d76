import Crypto
import MeshCore
import Testing

/// RequestAuthentication beyond RS256/ES256 from the Authorization header: other signature algorithms, a
/// token in a custom query parameter, and several issuers each checked against their own keys.
@Suite("JWT algorithms and rule options end to end", .serialized)
struct JWTAlgorithmTests {
    /// A second identity provider: its own EC key (kid `ec-1` in its own JWKS) and issuer.
    static let other = JWTFixture(
        rsa: JWTFixture.shared.rsa, ec: P256.Signing.PrivateKey(), stranger: P256.Signing.PrivateKey(), ed: Curve25519.Signing.PrivateKey())
    static let otherIssuer = "https://login.partner.example"

    /// RequestAuthentication with `rules` (YAML list items) and an ALLOW policy requiring a request principal.
    static func policies(_ rules: String) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: default}
        spec:
          jwtRules:
        \(rules)
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: require-jwt, namespace: default}
        spec:
          rules: [{from: [{source: {requestPrincipals: ["*"]}}]}]
        """
    }

    static func rule(issuer: String = JWTFixture.issuer, jwks: String = JWTFixture.shared.jwks, extra: String = "") -> String {
        "    - {issuer: \"\(issuer)\", jwks: '\(jwks)'\(extra)}"
    }

    /// `token` with its payload replaced by `other`'s: the signature no longer covers what it carries.
    static func tampered(_ token: String, payloadOf other: String) -> String {
        let parts = token.split(separator: "."), otherParts = other.split(separator: ".")
        return [parts[0], otherParts[1], parts[2]].joined(separator: ".")
    }

    static func bearer(_ token: String) -> [(String, String)] { [("authorization", "Bearer \(token)")] }

    @Test("a token signed with this algorithm verifies; the same token with a changed payload does not", arguments: ["RS384", "RS512", "PS256", "ES384"])
    func algorithm(_ algorithm: String) async throws {
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(yaml: Self.policies(Self.rule()), upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let signer: JWTFixture.Signer = algorithm == "ES384" ? .ec384 : .rsa
        let token = JWTFixture.shared.token(signer: signer, alg: algorithm)
        #expect(try await proxy.get("/", headers: Self.bearer(token)).status == 200)
        let forged = Self.tampered(token, payloadOf: JWTFixture.shared.token(["sub": "root"], signer: signer, alg: algorithm))
        let refused = try await proxy.get("/", headers: Self.bearer(forged))
        #expect(refused.status == 401)
        #expect(refused.body == "Jwt verification fails")
        #expect(upstreams[0].requests == 1)
    }

    @Test("fromParams: [token] reads the token from that query parameter only")
    func fromParams() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(
            yaml: Self.policies(Self.rule(extra: ", fromParams: [token]")), upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let token = JWTFixture.shared.token()
        #expect(try await proxy.get("/data?token=\(token)").status == 200)
        let forged = Self.tampered(token, payloadOf: JWTFixture.shared.token(["sub": "root"]))
        #expect(try await proxy.get("/data?token=\(forged)").status == 401)
        // The Authorization header is not a location of this rule: no token is read, so no principal.
        let header = try await proxy.get("/data", headers: Self.bearer(token))
        #expect(header.status == 403, "\(header.body)")
        #expect(try await proxy.get("/data?access_token=\(token)").status == 403)
        #expect(upstreams[0].requests == 1)
    }

    @Test("with two jwtRules each issuer's token is checked against its own JWKS")
    func twoIssuers() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let rules = Self.rule() + "\n" + Self.rule(issuer: Self.otherIssuer, jwks: Self.other.jwks)
        let proxy = try await ProxyHarness.start(yaml: Self.policies(rules), upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let first = JWTFixture.shared.token()
        let second = Self.other.token(["iss": .string(Self.otherIssuer)])
        #expect(try await proxy.get("/", headers: Self.bearer(first)).status == 200)
        #expect(try await proxy.get("/", headers: Self.bearer(second)).status == 200)
        // Issuer A's claim, signed with B's key (under the kid both JWKS use): A's keys refuse it.
        let crossed = try await proxy.get("/", headers: Self.bearer(Self.other.token()))
        #expect(crossed.status == 401)
        #expect(crossed.body == "Jwt verification fails")
        let unknown = try await proxy.get("/", headers: Self.bearer(JWTFixture.shared.token(["iss": "https://nobody.example"])))
        #expect(unknown.status == 401)
        #expect(upstreams[0].requests == 2)
    }
}

import MeshCore
import MeshProxy
import Testing

/// JWT end to end: RequestAuthentication checks tokens (401 on a bad one), AuthorizationPolicy decides on the
/// request principal and claims, and the token is not passed upstream.
@Suite("RequestAuthentication end to end", .serialized)
struct RequestAuthenticationTests {
    static let policies = """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: asset-jwt, namespace: default}
        spec:
          jwtRules:
          - issuer: \(JWTFixture.issuer)
            audiences: [asset-api]
            jwks: '\(JWTFixture.shared.jwks)'
            outputClaimToHeaders: [{header: x-asset-user, claim: sub}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: asset-api, namespace: default}
        spec:
          action: ALLOW
          rules:
          - to: [{operation: {paths: [/public/*]}}]
          - from: [{source: {requestPrincipals: ["*"]}}]
            to: [{operation: {paths: [/api/*]}}]
          - to: [{operation: {paths: [/admin/*]}}]
            when: [{key: "request.auth.claims[groups]", values: [admin]}]
        """

    @Test("no token: public only; a valid token: its paths and claims; a bad token: 401 with WWW-Authenticate")
    func jwtAndAuthorization() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(yaml: Self.policies, upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let fixture = JWTFixture.shared
        let operator_ = fixture.token(["aud": "asset-api", "groups": ["operators"]], signer: .rsa)
        let admin = fixture.token(["aud": "asset-api", "groups": ["admin"], "sub": "root"])
        func get(_ path: String, token: String? = nil) async throws -> TestClient.Response {
            try await proxy.get(path, headers: token.map { [("authorization", "Bearer \($0)")] } ?? [])
        }

        #expect(try await get("/public/status").status == 200)
        let anonymous = try await get("/api/assets")
        #expect(anonymous.status == 403)
        #expect(anonymous.body == "RBAC: access denied")

        #expect(try await get("/echo", token: operator_).status == 403, "/echo is in no rule")
        #expect(try await get("/api/assets", token: operator_).status == 200)
        #expect(try await get("/admin/users", token: operator_).status == 403)
        #expect(try await get("/admin/users", token: admin).status == 200)

        let bad = try await get("/public/status", token: fixture.token(["aud": "asset-api"], signer: .stranger, kid: "ec-1"))
        #expect(bad.status == 401, "a bad token is refused even where no token is needed")
        #expect(bad.body == "Jwt verification fails")
        #expect(bad.headers.first(name: "www-authenticate")?.hasPrefix("Bearer realm=\"http://127.0.0.1:") == true)
        #expect(bad.headers.first(name: "www-authenticate")?.hasSuffix("/public/status\", error=\"invalid_token\"") == true)
        let wrongAudience = try await get("/api/assets", token: fixture.token(["aud": "billing"]))
        #expect(wrongAudience.status == 401)
        #expect(wrongAudience.body == "Audiences in Jwt are not allowed")

        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.jwt_authn.allowed: 4"), "\(stats)")
        #expect(stats.contains("http.meshctl.jwt_authn.denied: 2"))
    }

    @Test("the upstream sees the claim header but not the token")
    func tokenIsNotForwarded() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(yaml: Self.policies.replacingOccurrences(of: "paths: [/api/*]", with: "paths: [/api/*, /echo]"), upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let token = JWTFixture.shared.token(["aud": ["asset-api"], "sub": "pump-17"])
        let response = try await proxy.get("/echo", headers: [("authorization", "Bearer \(token)")])
        #expect(response.status == 200)
        #expect(!response.body.contains("authorization:"), "\(response.body)")
        #expect(response.body.contains("x-asset-user: pump-17"))
    }
}

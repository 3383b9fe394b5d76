import MeshCore
import MeshPolicy
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import MeshProxy

/// RequestAuthentication semantics (Istio's jwtRules as Envoy's jwt_authn applies them), without sockets.
@Suite("RequestAuthentication (JWT)")
struct RequestAuthenticatorTests {
    static let fixture = JWTFixture.shared

    static func authenticator(_ rule: String = "") throws -> RequestAuthenticator {
        let yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: assets}
            spec:
              jwtRules:
              - issuer: \(JWTFixture.issuer)
                jwks: '\(fixture.jwks)'
            \(rule)
            """
        guard case .requestAuthentication(let policy)? = try MeshResource.decode(YAML.parse(yaml)) else {
            throw JWTError("not a RequestAuthentication")
        }
        let rules = try RequestAuthenticator.rules(from: [policy], workload: Workload(namespace: "assets"), rootNamespace: "istio-system")
        return try #require(RequestAuthenticator(rules: rules))
    }

    static func check(_ authenticator: RequestAuthenticator, headers: [(String, String)] = [], uri: String = "/") -> RequestAuthenticator.Outcome {
        authenticator.authenticate(headers: HTTPHeaders(headers), uri: uri, now: JWTFixture.now)
    }

    @Test("valid RS256, ES256 and EdDSA tokens authenticate as iss/sub with their claims; the token header is not forwarded")
    func validTokens() throws {
        let authenticator = try Self.authenticator()
        for signer in [JWTFixture.Signer.rsa, .ec, .ed] {
            let token = Self.fixture.token(["groups": ["operators", "admin"]], signer: signer)
            guard case .authenticated(let identity) = Self.check(authenticator, headers: [("Authorization", "Bearer \(token)")]) else {
                Issue.record("\(signer) token refused")
                continue
            }
            #expect(identity.principal == "\(JWTFixture.issuer)/alice")
            #expect(identity.claims["groups"]?.arrayValue?.count == 2)
            #expect(identity.removeHeaders == ["authorization"])
        }
    }

    @Test("no token anywhere the rules look is anonymous, not a failure")
    func missingToken() throws {
        guard case .anonymous = Self.check(try Self.authenticator(), headers: [("Authorization", "Basic dXNlcg==")]) else {
            Issue.record("a request without a bearer token must pass unauthenticated")
            return
        }
    }

    @Test(
        "bad tokens get Envoy's reasons",
        arguments: [
            ("expired", "Jwt is expired"),
            ("not yet valid", "Jwt not yet valid"),
            ("other issuer", "Jwt issuer is not configured"),
            ("tampered payload", "Jwt verification fails"),
            ("signed by a stranger under a known kid", "Jwt verification fails"),
            ("unknown kid", "Jwks doesn't have key to match kid or alg from Jwt"),
            ("alg none", "Jwt uses an unsupported algorithm none"),
            ("HS256", "Jwt uses an unsupported algorithm HS256"),
            ("RS256 header on an EC key", "Jwks doesn't have key to match kid or alg from Jwt"),
            ("garbage", "Jwt is not in the form of Header.Payload.Signature"),
            ("bad base64", "Jwt header is an invalid JSON"),
            ("oversize", "Jwt is too large"),
        ])
    func badTokens(_ kind: String, _ reason: String) throws {
        let fixture = Self.fixture
        let now = Int(JWTFixture.now)
        let token: String
        switch kind {
        case "expired": token = fixture.token(["exp": .int(now - 120)])
        case "not yet valid": token = fixture.token(["nbf": .int(now + 600)])
        case "other issuer": token = fixture.token(["iss": "https://elsewhere.example"])
        case "tampered payload":
            let parts = fixture.token().split(separator: ".")
            let forged = Base64URL.encode(Array(JSON.emit(["iss": .string(JWTFixture.issuer), "sub": "mallory"]).utf8))
            token = "\(parts[0]).\(forged).\(parts[2])"
        case "signed by a stranger under a known kid": token = fixture.token(signer: .stranger, kid: "ec-1")
        case "unknown kid": token = fixture.token(kid: "rotated-away")
        case "alg none": token = fixture.token(alg: "none")
        case "HS256": token = fixture.token(alg: "HS256")
        case "RS256 header on an EC key": token = fixture.token(signer: .ec, alg: "RS256")
        case "garbage": token = "not-a-jwt"
        case "oversize": token = fixture.token(["padding": .string(String(repeating: "x", count: 20_000))])
        default: token = "%%%.e30.c2ln"
        }
        guard case .rejected(let message) = Self.check(try Self.authenticator(), headers: [("authorization", "Bearer \(token)")]) else {
            Issue.record("\(kind): accepted")
            return
        }
        #expect(message == reason)
    }

    @Test("audiences: a token must name one of them when they are set")
    func audiences() throws {
        let authenticator = try Self.authenticator("    audiences: [asset-api, telemetry]")
        let good = Self.fixture.token(["aud": ["other", "telemetry"]])
        let bad = Self.fixture.token(["aud": "billing"])
        guard case .authenticated = Self.check(authenticator, headers: [("authorization", "Bearer \(good)")]) else {
            Issue.record("a listed audience was refused")
            return
        }
        guard case .rejected("Audiences in Jwt are not allowed") = Self.check(authenticator, headers: [("authorization", "Bearer \(bad)")]) else {
            Issue.record("an unlisted audience was accepted")
            return
        }
    }

    @Test("token locations: the default access_token parameter, custom headers with prefixes, cookies; outputs")
    func locationsAndOutputs() throws {
        let token = Self.fixture.token(["tenant": "plant-7", "level": 3])
        guard case .authenticated = Self.check(try Self.authenticator(), uri: "/stream?x=1&access_token=\(token)") else {
            Issue.record("the default access_token parameter was not read")
            return
        }
        let custom = try Self.authenticator("""
                fromHeaders: [{name: x-asset-token, prefix: "Token "}]
                fromCookies: [session]
                forwardOriginalToken: true
                outputPayloadToHeader: x-jwt-payload
                outputClaimToHeaders: [{header: x-tenant, claim: tenant}, {header: x-level, claim: level}]
            """)
        guard case .authenticated(let identity) = Self.check(custom, headers: [("x-asset-token", "Token \(token)")]) else {
            Issue.record("the custom header was not read")
            return
        }
        #expect(identity.removeHeaders.isEmpty, "forwardOriginalToken keeps the token")
        #expect(identity.setHeaders.map(\.0) == ["x-jwt-payload", "x-tenant", "x-level"])
        #expect(identity.setHeaders[1].1 == "plant-7")
        #expect(identity.setHeaders[2].1 == "3")
        guard case .authenticated = Self.check(custom, headers: [("cookie", "theme=dark; session=\(token)")]) else {
            Issue.record("the cookie was not read")
            return
        }
        guard case .anonymous = Self.check(custom, headers: [("authorization", "Bearer \(token)")]) else {
            Issue.record("with fromHeaders set, the default Authorization location must not be read")
            return
        }
    }

    @Test(
        "unusable JWKS fail at config load naming the rule",
        arguments: [
            ("jwks: 'not json'", "spec.jwtRules[0].jwks: the JWKS is not JSON"),
            ("jwks: '{\"keys\": []}'", "spec.jwtRules[0].jwks: the JWKS has no RSA, EC or Ed25519 signing key"),
            ("jwks: '{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"short\", \"n\": \"AQAB\", \"e\": \"AQAB\"}]}'",
             "key \"short\": not a usable RSA public key"),
            ("jwksUri: 'https://user@auth.example/jwks'", "spec.jwtRules[0].jwksUri: https://user@auth.example/jwks is not an http:// or https:// URI"),
            ("jwksUri: 'https://auth.example:99999/jwks'", "is not an http:// or https:// URI with a host"),
            ("jwksUri: https://auth.example/jwks, timeout: soon", "spec.jwtRules[0].timeout: not a positive duration: soon"),
            ("audiences: [a]", "spec.jwtRules[0].jwks: the JWKS is required (inline, or jwksUri)"),
        ])
    func badJWKS(_ field: String, _ expected: String) throws {
        let yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: assets}
            spec:
              jwtRules: [{issuer: x, \(field)}]
            """
        guard case .requestAuthentication(let policy)? = try MeshResource.decode(YAML.parse(yaml)) else { return }
        do {
            _ = try RequestAuthenticator.rules(from: [policy], workload: Workload(namespace: "assets"), rootNamespace: "istio-system")
            Issue.record("accepted \(field)")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test("which policies apply: the workload's namespace or the root one, and a matching selector")
    func selection() throws {
        func policy(_ namespace: String, selector: [String: String]?) -> Resource<RequestAuthenticationSpec> {
            var rule = JWTRule(issuer: "iss-\(namespace)-\(selector?.values.first ?? "all")")
            rule.jwks = Self.fixture.jwks
            return Resource(
                kind: .requestAuthentication, metadata: ObjectMeta(name: "p", namespace: namespace),
                spec: RequestAuthenticationSpec(selector: selector.map { WorkloadSelector(matchLabels: $0) }, jwtRules: [rule]))
        }
        let rules = try RequestAuthenticator.rules(
            from: [
                policy("assets", selector: nil), policy("istio-system", selector: nil), policy("billing", selector: nil),
                policy("assets", selector: ["app": "api"]), policy("assets", selector: ["app": "web"]),
            ],
            workload: Workload(namespace: "assets", labels: ["app": "api"]), rootNamespace: "istio-system")
        #expect(rules.map(\.issuer) == ["iss-assets-all", "iss-istio-system-all", "iss-assets-api"])
    }

    @Test("loading the config parses the workload's JWT rules (inline JWKS) once; the running proxy uses those rules")
    func parsedOnceAtLoad() throws {
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: api-sidecar}
            spec:
              workload: {namespace: assets}
              listeners: [{name: main, address: 127.0.0.1:0, protocol: http, upstream: 127.0.0.1:9}]
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: assets}
            spec:
              jwtRules: [{issuer: "\(JWTFixture.issuer)", jwks: '\(Self.fixture.jwks)'}]
            """
        var config = try ConfigLoader.load(documents: YAML.parseDocuments(yaml))
        #expect(config.security.jwtRules.map(\.issuer) == [JWTFixture.issuer])
        #expect(config.security.jwtRules.first?.keys.isEmpty == false)
        // Were the runtime to parse the resources again, it would find none now.
        config.security.requestAuthentications = []
        let runtime = try ProxyRuntime(config: config, group: EmbeddedEventLoop())
        #expect(runtime.listener(named: "main")?.authenticator?.rules.map(\.issuer) == [JWTFixture.issuer])
    }
}

import MeshCore
import MeshPolicy
import Testing

/// `when` conditions: headers, addresses, source and JWT attributes (nested and list-valued claims), ports, SNI.
@Suite struct AuthzConditionTests {
    typealias T = AuthzTable

    static func when(_ key: String, _ values: String, not: Bool = false) -> String {
        "[{when: [{key: \"\(key)\", \(not ? "notValues" : "values"): \(values)}]}]"
    }

    static let token: Value = [
        "iss": "https://idp.example.com", "sub": "alice", "aud": ["api", "web"], "azp": "frontend",
        "groups": ["dev", "admin-eu"], "team": "payments", "email_verified": true,
        "realm_access": ["roles": ["reader", "writer"]],
    ]

    static let rows: [AuthzCase] = [
        AuthzCase(name: "request header exact, name case-insensitive", policies: [T.allow(when("request.headers[X-Token]", "[secret]"))], request: T.get(headers: ["x-token": "secret"]), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "request header * means present, even empty", policies: [T.allow(when("request.headers[x-debug]", "[\"*\"]"))], request: T.get(headers: ["X-Debug": ""]), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "request header missing", policies: [T.allow(when("request.headers[x-debug]", "[\"*\"]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "request header notValues", policies: [T.deny(when("request.headers[user-agent]", "[\"curl*\"]"))], request: T.get(headers: ["User-Agent": "curl/8.5"]), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "source.ip", policies: [T.allow(when("source.ip", "[10.0.0.0/24]"))], request: T.get(ip: "10.0.0.200"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "remote.ip notValues", policies: [T.allow(when("remote.ip", "[198.51.100.0/24]", not: true))], request: T.get(remoteIP: "198.51.100.4"), expected: .deny),
        AuthzCase(name: "source.namespace", policies: [T.allow(when("source.namespace", "[bar]"))], request: T.get(principal: T.client), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "source.principal", policies: [T.allow(when("source.principal", "[cluster.local/ns/foo/sa/sleep]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "request.auth.principal", policies: [T.allow(when("request.auth.principal", "[https://idp.example.com/alice]"))], request: T.get(claims: token), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "request.auth.audiences matches one element of aud", policies: [T.allow(when("request.auth.audiences", "[web]"))], request: T.get(claims: token), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "request.auth.presenter", policies: [T.allow(when("request.auth.presenter", "[backend]"))], request: T.get(claims: token), expected: .deny),
        AuthzCase(name: "list-valued claim contains the value", policies: [T.allow(when("request.auth.claims[groups]", "[dev]"))], request: T.get(claims: token), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "string claim", policies: [T.allow(when("request.auth.claims[team]", "[payments]"))], request: T.get(claims: token), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "nested claim", policies: [T.allow(when("request.auth.claims[realm_access][roles]", "[writer]"))], request: T.get(claims: token), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "claim prefix over a list", policies: [T.allow(when("request.auth.claims[groups]", "[\"admin-*\"]"))], request: T.get(claims: token), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "non-string claims never match", policies: [T.allow(when("request.auth.claims[email_verified]", "[\"true\"]"))], request: T.get(claims: token), expected: .deny),
        AuthzCase(name: "claim notValues", policies: [T.deny(when("request.auth.claims[groups]", "[admin-eu]", not: true))], request: T.get(claims: token), expected: .allow),
        AuthzCase(name: "claims without a JWT", policies: [T.allow(when("request.auth.claims[groups]", "[dev]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "destination.port", policies: [T.allow(when("destination.port", "[\"8000\"]"))], request: T.get(port: 8000), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "destination.ip", policies: [T.allow(when("destination.ip", "[10.1.0.0/16]"))], request: T.get(destinationIP: "10.2.0.1"), expected: .deny),
        AuthzCase(name: "connection.sni suffix", policies: [T.allow(when("connection.sni", "[\"*.example.com\"]"))], request: T.get(sni: "api.example.com"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "conditions are ANDed", policies: [T.allow("[{when: [{key: \"request.auth.claims[team]\", values: [payments]}, {key: source.namespace, values: [bar]}]}]")], request: T.get(claims: token), expected: .deny),
    ]

    @Test(arguments: rows) func row(_ row: AuthzCase) throws {
        try AuthzTable.check(row)
    }
}

import MeshCore
import MeshPolicy
import Testing

/// `from.source` fields: principals, request principals, namespaces, service accounts, IP blocks, and every `not*`.
@Suite struct AuthzSourceTests {
    typealias T = AuthzTable

    static func from(_ source: String) -> String { "[{from: [{source: {\(source)}}]}]" }

    static let rows: [AuthzCase] = [
        AuthzCase(name: "principals exact match", policies: [T.allow(from("principals: [cluster.local/ns/foo/sa/sleep]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "principals exact mismatch", policies: [T.allow(from("principals: [cluster.local/ns/foo/sa/other]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "principals ignore the spiffe:// scheme of the peer", policies: [T.allow(from("principals: [cluster.local/ns/foo/sa/sleep]"))], request: T.get(principal: "spiffe://cluster.local/ns/foo/sa/sleep"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "principals * matches any authenticated peer", policies: [T.allow(from("principals: [\"*\"]"))], request: T.get(principal: T.client), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "principals * does not match plain text", policies: [T.allow(from("principals: [\"*\"]"))], request: T.get(principal: nil), expected: .deny),
        AuthzCase(name: "principals prefix match", policies: [T.allow(from("principals: [\"cluster.local/ns/foo/*\"]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "principals suffix match", policies: [T.allow(from("principals: [\"*/sa/client\"]"))], request: T.get(principal: T.client), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "principals suffix mismatch", policies: [T.allow(from("principals: [\"*/sa/client\"]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "notPrincipals excludes the listed peer", policies: [T.allow(from("notPrincipals: [cluster.local/ns/foo/sa/sleep]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "DENY notPrincipals * denies plain text", policies: [T.deny(from("notPrincipals: [\"*\"]"))], request: T.get(principal: nil), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "DENY notPrincipals * lets mTLS through", policies: [T.deny(from("notPrincipals: [\"*\"]"))], request: T.get(), expected: .allow),
        AuthzCase(name: "namespaces come from the principal", policies: [T.allow(from("namespaces: [foo]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "namespaces mismatch", policies: [T.allow(from("namespaces: [bar]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "namespaces never match plain text", policies: [T.allow(from("namespaces: [foo]"))], request: T.get(principal: nil), expected: .deny),
        AuthzCase(name: "notNamespaces excludes the source namespace", policies: [T.allow(from("notNamespaces: [foo]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "namespaces prefix", policies: [T.allow(from("namespaces: [\"ba*\"]"))], request: T.get(principal: T.client), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "requestPrincipals exact issuer/subject from claims", policies: [T.allow(from("requestPrincipals: [testing@secure.istio.io/testing@secure.istio.io]"))], request: T.get(claims: ["iss": "testing@secure.istio.io", "sub": "testing@secure.istio.io"]), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "requestPrincipals * needs a JWT", policies: [T.allow(from("requestPrincipals: [\"*\"]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "requestPrincipals * with a JWT", policies: [T.allow(from("requestPrincipals: [\"*\"]"))], request: T.get(requestPrincipal: "https://issuer.example.com/alice"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "requestPrincipals split at the last slash of a URL issuer", policies: [T.allow(from("requestPrincipals: [https://accounts.example.com/u1]"))], request: T.get(claims: ["iss": "https://accounts.example.com", "sub": "u1"]), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "requestPrincipals issuer with any subject", policies: [T.allow(from("requestPrincipals: [\"https://accounts.example.com/*\"]"))], request: T.get(requestPrincipal: "https://accounts.example.com/bob"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "requestPrincipals other issuer", policies: [T.allow(from("requestPrincipals: [\"https://accounts.example.com/*\"]"))], request: T.get(requestPrincipal: "https://evil.example.com/bob"), expected: .deny),
        AuthzCase(name: "DENY notRequestPrincipals * requires a JWT", policies: [T.deny(from("notRequestPrincipals: [\"*\"]"))], request: T.get(), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "ipBlocks CIDR contains the source", policies: [T.allow(from("ipBlocks: [10.0.0.0/16]"))], request: T.get(ip: "10.0.3.4"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "ipBlocks single address", policies: [T.allow(from("ipBlocks: [10.0.0.9]"))], request: T.get(ip: "10.0.0.5"), expected: .deny),
        AuthzCase(name: "notIpBlocks excludes the range", policies: [T.deny(from("notIpBlocks: [10.0.0.0/8]"))], request: T.get(ip: "192.168.1.1"), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "remoteIpBlocks use the original client address", policies: [T.allow(from("remoteIpBlocks: [203.0.113.0/24]"))], request: T.get(ip: "10.0.0.5", remoteIP: "203.0.113.7"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "remoteIpBlocks default to the peer address", policies: [T.allow(from("remoteIpBlocks: [203.0.113.0/24]"))], request: T.get(ip: "10.0.0.5"), expected: .deny),
        AuthzCase(name: "notRemoteIpBlocks", policies: [T.deny(from("notRemoteIpBlocks: [203.0.113.0/24]"))], request: T.get(remoteIP: "198.51.100.1"), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "IPv6 CIDR", policies: [T.allow(from("ipBlocks: [\"2001:db8::/32\"]"))], request: T.get(ip: "2001:db8:1::5"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "serviceAccounts default to the policy namespace", policies: [T.allow(from("serviceAccounts: [sleep]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "serviceAccounts namespace/name", policies: [T.allow(from("serviceAccounts: [bar/client]"))], request: T.get(principal: T.client), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "notServiceAccounts", policies: [T.allow(from("notServiceAccounts: [sleep]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "fields of one source are ANDed", policies: [T.allow(from("principals: [cluster.local/ns/foo/sa/sleep], ipBlocks: [192.168.0.0/16]"))], request: T.get(ip: "10.0.0.5"), expected: .deny),
        AuthzCase(name: "sources are ORed", policies: [T.allow("[{from: [{source: {namespaces: [bar]}}, {source: {ipBlocks: [10.0.0.0/8]}}]}]")], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "trustDomains match the principal's trust domain", policies: [T.allow(from("trustDomains: [cluster.local]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
    ]

    @Test(arguments: rows) func row(_ row: AuthzCase) throws {
        try AuthzTable.check(row)
    }
}

import MeshPolicy
import Testing

/// `to.operation` fields: methods, paths (prefix, suffix, presence, templates), hosts, ports, and their `not*`.
@Suite struct AuthzOperationTests {
    typealias T = AuthzTable

    static func to(_ operation: String) -> String { "[{to: [{operation: {\(operation)}}]}]" }

    static let rows: [AuthzCase] = [
        AuthzCase(name: "methods match", policies: [T.allow(to("methods: [GET, HEAD]"))], request: T.get(), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "methods do not match", policies: [T.allow(to("methods: [GET]"))], request: T.get(method: "POST"), expected: .deny),
        AuthzCase(name: "methods are case-sensitive", policies: [T.allow(to("methods: [get]"))], request: T.get(), expected: .deny),
        AuthzCase(name: "notMethods", policies: [T.allow(to("notMethods: [DELETE]"))], request: T.get(method: "DELETE"), expected: .deny),
        AuthzCase(name: "paths exact, query ignored", policies: [T.allow(to("paths: [/info]"))], request: T.get("/info?verbose=1"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "paths prefix", policies: [T.allow(to("paths: [\"/api/*\"]"))], request: T.get("/api/v1/users"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "paths prefix does not match the bare prefix's parent", policies: [T.allow(to("paths: [\"/api/*\"]"))], request: T.get("/apix"), expected: .deny),
        AuthzCase(name: "paths suffix", policies: [T.allow(to("paths: [\"*/healthz\"]"))], request: T.get("/svc/healthz"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "paths * matches any path", policies: [T.allow(to("paths: [\"*\"]"))], request: T.get("/anything"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "paths are case-sensitive", policies: [T.deny(to("paths: [/admin]"))], request: T.get("/ADMIN"), expected: .allow),
        AuthzCase(name: "notPaths", policies: [T.allow(to("notPaths: [\"/private/*\"]"))], request: T.get("/private/key"), expected: .deny),
        AuthzCase(name: "path template {*} matches one segment", policies: [T.allow(to("paths: [\"/api/{*}/items\"]"))], request: T.get("/api/v1/items"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "path template {*} does not cross segments", policies: [T.allow(to("paths: [\"/api/{*}/items\"]"))], request: T.get("/api/v1/x/items"), expected: .deny),
        AuthzCase(name: "path template {**} matches any depth", policies: [T.allow(to("paths: [\"/static/{**}\"]"))], request: T.get("/static/css/site/main.css"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "hosts are case-insensitive", policies: [T.allow(to("hosts: [Example.COM]"))], request: T.get(host: "example.com"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "hosts suffix wildcard", policies: [T.allow(to("hosts: [\"*.example.com\"]"))], request: T.get(host: "api.example.com"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "hosts exact does not match host:port", policies: [T.allow(to("hosts: [example.com]"))], request: T.get(host: "example.com:8080"), expected: .deny),
        AuthzCase(name: "notHosts", policies: [T.deny(to("notHosts: [\"*.internal\"]"))], request: T.get(host: "www.example.com"), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "ports match", policies: [T.allow(to("ports: [\"8000\"]"))], request: T.get(port: 8000), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "ports mismatch", policies: [T.allow(to("ports: [\"8000\"]"))], request: T.get(port: 9090), expected: .deny),
        AuthzCase(name: "notPorts", policies: [T.deny(to("notPorts: [\"8000\"]"))], request: T.get(port: 9090), expected: .deny, policy: "foo/deny", rule: 0),
        AuthzCase(name: "fields of one operation are ANDed", policies: [T.allow(to("methods: [GET], paths: [/a]"))], request: T.get("/b"), expected: .deny),
        AuthzCase(name: "operations are ORed", policies: [T.allow("[{to: [{operation: {methods: [POST]}}, {operation: {paths: [/b]}}]}]")], request: T.get("/b"), expected: .allow, policy: "foo/allow", rule: 0),
        AuthzCase(name: "from and to are ANDed", policies: [T.allow("[{from: [{source: {namespaces: [foo]}}], to: [{operation: {methods: [POST]}}]}]")], request: T.get(), expected: .deny),
        AuthzCase(name: "rules are ORed", policies: [T.allow("[{from: [{source: {namespaces: [bar]}}]}, {to: [{operation: {methods: [GET]}}]}]")], request: T.get(), expected: .allow, policy: "foo/allow", rule: 1),
    ]

    @Test(arguments: rows) func row(_ row: AuthzCase) throws {
        try AuthzTable.check(row)
    }
}

import MeshPolicy
import NIOHTTP1
import Testing
@testable import MeshProxy

@Suite("ExtAuthzHTTPCheck")
struct ExtAuthzHTTPCheckTests {
    static func provider(_ change: (inout ExtAuthzProvider) -> Void = { _ in }) -> ExtAuthzProvider {
        var provider = ExtAuthzProvider(name: "authz", api: .http, service: "authz", port: 8000)
        change(&provider)
        return provider
    }

    @Test("the check carries the method, pathPrefix + path, Host, Authorization, the included and the additional headers")
    func request() {
        var head = HTTPRequestHead(version: .http1_1, method: .DELETE, uri: "/items/7?force=1")
        head.headers.add(name: "Host", value: "shop")
        head.headers.add(name: "Authorization", value: "Bearer t")
        head.headers.add(name: "X-Tenant", value: "a")
        head.headers.add(name: "x-added", value: "from the client")
        head.headers.add(name: "cookie", value: "secret")
        head.headers.add(name: "content-length", value: "12")
        let provider = Self.provider {
            $0.pathPrefix = "/check"
            $0.includeRequestHeaders = [.prefix("x-"), .exact("content-length")]
            $0.additionalHeaders = [("x-added", "fixed")]
        }
        let check = ExtAuthzHTTPCheck.request(for: head, body: nil, partial: false, provider: provider)
        #expect(check.method == .DELETE)
        #expect(check.path == "/check/items/7?force=1")
        #expect(check.headers.map { "\($0.0)=\($0.1)" } == ["host=shop", "authorization=Bearer t", "x-tenant=a", "x-added=fixed"])
        #expect(check.body.isEmpty, "no body: content-length 0")
        let withBody = ExtAuthzHTTPCheck.request(for: head, body: Array("abc".utf8), partial: true, provider: provider)
        #expect(withBody.body == Array("abc".utf8))
        #expect(withBody.headers.last.map { "\($0.0)=\($0.1)" } == "x-envoy-auth-partial-body=true")
    }

    @Test("200 allows with the selected headers; 5xx is an error; other statuses deny with the authorizer's status, headers and body")
    func decision() {
        let headers = [("X-User", "alice"), ("x-internal", "1"), ("content-length", "3"), ("Host", "authz"), ("Location", "/login")]
        let provider = Self.provider {
            $0.headersToUpstreamOnAllow = [.exact("x-user")]
            $0.headersToDownstreamOnAllow = [.prefix("x-int")]
        }
        guard case .allow(let upstream, let downstream, let removing) = ExtAuthzHTTPCheck.decision(
            status: 200, headers: headers + [("X-Envoy-Auth-Headers-To-Remove", "Authorization, x-api-key")], body: [], provider: provider)
        else {
            Issue.record("200 did not allow")
            return
        }
        #expect(upstream.map(\.0) == ["x-user"])
        #expect(downstream.map(\.0) == ["x-internal"])
        #expect(removing == ["authorization", "x-api-key"])
        guard case .error = ExtAuthzHTTPCheck.decision(status: 503, headers: [], body: [], provider: provider) else {
            Issue.record("503 is not an error")
            return
        }
        guard case .deny(let status, let all, let body) = ExtAuthzHTTPCheck.decision(status: 302, headers: headers, body: Array("bye".utf8), provider: provider) else {
            Issue.record("302 did not deny")
            return
        }
        #expect(status == 302)
        #expect(body == "bye")
        #expect(all.map(\.0) == ["X-User", "x-internal", "Location"], "no headersToDownstreamOnDeny: all but Host and framing")
        let listed = Self.provider { $0.headersToDownstreamOnDeny = [.exact("x-user")] }
        guard case .deny(_, let selected, _) = ExtAuthzHTTPCheck.decision(status: 401, headers: headers, body: [], provider: listed) else {
            Issue.record("401 did not deny")
            return
        }
        #expect(selected.map(\.0) == ["x-user", "location"], "the listed headers plus Location and WWW-Authenticate")
    }

    @Test("an error becomes an allow with failOpen, else a deny with statusOnError")
    func errors() {
        guard case .allow = ExtAuthzDecision.error("down").resolvingError(for: Self.provider { $0.failOpen = true }) else {
            Issue.record("failOpen did not allow")
            return
        }
        guard case .deny(let status, _, let body) = ExtAuthzDecision.error("down").resolvingError(for: Self.provider { $0.statusOnError = 503 }) else {
            Issue.record("no deny")
            return
        }
        #expect(status == 503)
        #expect(body.isEmpty)
    }
}

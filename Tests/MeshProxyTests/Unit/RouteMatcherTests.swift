import NIOHTTP1
import Testing
@testable import MeshProxy

@Suite("RouteMatcher")
struct RouteMatcherTests {
    func head(_ uri: String, _ headers: [(String, String)] = [], method: HTTPMethod = .GET) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    @Test("uri, method, header, query and withoutHeaders conditions")
    func conditions() throws {
        let match = RequestMatch(
            uri: .prefix("/api"), method: .exact("GET"), headers: [("x-user", .regex(try CompiledRegex("ja.*")))],
            withoutHeaders: [("x-debug", .exact("1"))], queryParams: [("v", .exact("2"))])
        #expect(RouteMatcher.matches(match, head("/api/x?v=2", [("x-user", "jason")]), port: 80, scheme: "http"))
        #expect(!RouteMatcher.matches(match, head("/api/x?v=3", [("x-user", "jason")]), port: 80, scheme: "http"))
        #expect(!RouteMatcher.matches(match, head("/api/x?v=2", [("x-user", "bob")]), port: 80, scheme: "http"))
        #expect(!RouteMatcher.matches(match, head("/api/x?v=2", [("x-user", "jason"), ("x-debug", "1")]), port: 80, scheme: "http"))
        #expect(!RouteMatcher.matches(match, head("/api/x?v=2", [("x-user", "jason")], method: .POST), port: 80, scheme: "http"))
        #expect(!RouteMatcher.matches(match, head("/other?v=2", [("x-user", "jason")]), port: 80, scheme: "http"))
    }

    @Test("regex matches the whole path, as RE2 does in Envoy")
    func regexWhole() throws {
        let match = RequestMatch(uri: .regex(try CompiledRegex("/a[0-9]")))
        #expect(RouteMatcher.matches(match, head("/a1"), port: 80, scheme: "http"))
        #expect(!RouteMatcher.matches(match, head("/a12"), port: 80, scheme: "http"))
    }

    @Test("weighted picks follow the weights")
    func weights() {
        let clusters: [HTTPRouteRule.WeightedCluster] = [.init(cluster: "a", weight: 90), .init(cluster: "b", weight: 10)]
        var counts: [String: Int] = [:]
        for roll in 0..<UInt64(1000) { counts[RouteMatcher.pick(clusters, roll: roll)!, default: 0] += 1 }
        #expect(counts == ["a": 900, "b": 100])
    }

    @Test("prefix rewrite keeps the rest of the path; host lookup prefers exact over wildcard")
    func rewriteAndHosts() {
        #expect(RouteMatcher.rewriteURI("/api/v1/x?q", rewrite: "/", matched: RequestMatch(uri: .prefix("/api/"))) == "/v1/x?q")
        let table = RouteTable(virtualHosts: [
            VirtualHost(name: "any", domains: ["*"], routes: []),
            VirtualHost(name: "wild", domains: ["*.example.com"], routes: []),
            VirtualHost(name: "exact", domains: ["shop.example.com"], routes: []),
        ])
        #expect(table.virtualHost(for: "shop.example.com:80")?.name == "exact")
        #expect(table.virtualHost(for: "api.example.com")?.name == "wild")
        #expect(table.virtualHost(for: "other")?.name == "any")
    }

    @Test("retryOn parsing and status decisions")
    func retryOn() {
        let (conditions, codes, unknown) = RetryOn.parse("5xx, connect-failure,409")
        #expect(conditions.contains(.fiveXX) && conditions.contains(.connectFailure) && conditions.contains(.retriableStatusCodes))
        #expect(codes == [409])
        #expect(unknown.isEmpty)
        let gateway = RetryPolicy(attempts: 1, retryOn: [.gatewayError])
        #expect(gateway.retries(status: 503))
        #expect(!gateway.retries(status: 500))
    }
}

import MeshCore
import NIOHTTP1
import Testing
@testable import MeshProxy

/// Istio's "local rate limit on a route": an HTTP_FILTER patch inserting the filter without a bucket, and an
/// HTTP_ROUTE patch merging `rate_limits` actions and a `typed_per_filter_config` with descriptors.
@Suite("Local rate limits on a route (HTTP_ROUTE)")
struct RateLimitRouteTests {
    /// The shape of Istio's docs example (tasks/policy-enforcement/rate-limit, "local rate limit on a route"): the
    /// HTTP_FILTER patch of `RateLimitTests.envoyFilter` without its bucket, then the HTTP_ROUTE patch.
    static let envoyFilter = RateLimitTests.envoyFilter.split(separator: "\n").prefix { !$0.contains("token_bucket") }
        .joined(separator: "\n") + "\n" + """
          - applyTo: HTTP_ROUTE
            match:
              context: SIDECAR_INBOUND
              routeConfiguration:
                vhost:
                  name: "inbound|http|9080"
                  route:
                    action: ANY
            patch:
              operation: MERGE
              value:
                route:
                  rate_limits:
                  - actions:
                    - request_headers:
                        header_name: ":path"
                        descriptor_key: path
                typed_per_filter_config:
                  envoy.filters.http.local_ratelimit:
                    "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                    type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                    value:
                      stat_prefix: http_local_rate_limiter
                      descriptors:
                      - entries:
                        - key: path
                          value: /api/v1/products/1
                        token_bucket: {max_tokens: 2, tokens_per_fill: 10, fill_interval: 60s}
                      token_bucket: {max_tokens: 4, tokens_per_fill: 10, fill_interval: 60s}
                      filter_enabled: {runtime_key: local_rate_limit_enabled, default_value: {numerator: 100, denominator: HUNDRED}}
                      filter_enforced: {runtime_key: local_rate_limit_enforced, default_value: {numerator: 100, denominator: HUNDRED}}
                      response_headers_to_add: [{append: false, header: {key: x-local-rate-limit, value: 'true'}}]
        """

    static func limits(_ text: String) throws -> [LocalRateLimitConfig] {
        let spec = try FieldReader(resource: "EnvoyFilter istio-system/x", path: "spec", value: YAML.parse(text)["spec"])
        return try RateLimitParser.envoyFilter(spec, workloadLabels: ["app": "productpage"])
    }

    @Test("the docs' shape: one route limit on inbound port 9080, default bucket 4, the path descriptor 2")
    func docsShape() throws {
        let limits = try Self.limits(Self.envoyFilter)
        try #require(limits.count == 1)
        let limit = limits[0]
        #expect(limit.scope == .inboundPort(9080))
        #expect(limit.route == nil)
        #expect(limit.maxTokens == 4)
        #expect(limit.rateLimitActions == [[RequestHeadersAction(header: ":path", descriptorKey: "path")]])
        #expect(limit.descriptors == [RateLimitDescriptor(
            entries: [.init(key: "path", value: "/api/v1/products/1")], maxTokens: 2, tokensPerFill: 10, fillInterval: .seconds(60))])
        let inbound = ListenerConfig(name: "in", address: HostPort(host: "127.0.0.1", port: 15006), protocol: .http, targetPort: 9080)
        #expect(limit.scope.includes(inbound))
        var other = inbound
        other.targetPort = 9081
        #expect(!limit.scope.includes(other))

        let limiter = LocalRateLimiter(config: limit, now: 0)
        func status(_ path: String) -> Int {
            if case .limited = limiter.check(HTTPRequestHead(version: .http1_1, method: .GET, uri: path), now: 0, roll: 0) { return 429 }
            return 200
        }
        #expect((0..<3).map { _ in status("/api/v1/products/1") } == [200, 200, 429])
        #expect((0..<5).map { _ in status("/api/v1/products/2") } == [200, 200, 200, 200, 429])
    }

    @Test("descriptors come from request_headers actions; a missing header produces none unless skip_if_absent")
    func descriptorProduction() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a?x", headers: ["host": "svc", "x-user": "u1"])
        let path = RequestHeadersAction(header: ":path", descriptorKey: "path")
        let user = RequestHeadersAction(header: "x-user", descriptorKey: "user")
        let plan = RequestHeadersAction(header: "x-plan", descriptorKey: "plan")
        let optionalPlan = RequestHeadersAction(header: "x-plan", descriptorKey: "plan", skipIfAbsent: true)
        #expect(RequestHeadersAction.descriptors(of: head, rateLimits: [[path, user], [plan], [user, optionalPlan]])
            == [[.init(key: "path", value: "/a?x"), .init(key: "user", value: "u1")], [.init(key: "user", value: "u1")]])
    }

    @Test(
        "route patches meshctl can't honour fail naming the field",
        arguments: [
            ("action: ANY", "action: ROUTE", "vhost.route.action: only ANY is supported"),
            ("operation: MERGE", "operation: REPLACE", "patch.operation: HTTP_ROUTE patches must MERGE"),
            ("- request_headers:", "- remote_address:", "actions[0].remote_address: not supported here"),
            ("name: \"inbound|http|9080\"", "name: \"reviews:9080\"", "vhost.name: expected inbound|http|<port>"),
            ("- applyTo: HTTP_FILTER", "- applyTo: CLUSTER", "configPatches[0].applyTo: only HTTP_FILTER patches"),
        ])
    func unsupported(_ original: String, _ change: String, _ expected: String) throws {
        let text = Self.envoyFilter.replacingOccurrences(of: original, with: change)
        #expect(text != Self.envoyFilter)
        do {
            _ = try Self.limits(text)
            Issue.record("accepted \(change)")
        } catch let error as ProxyError {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}

import Foundation
import MeshCore
import NIOHTTP1
import Testing
@testable import MeshProxy

/// Token buckets and the two ways local rate limits are written.
@Suite("Local rate limits")
struct RateLimitTests {
    static let second: Int64 = 1_000_000_000

    @Test("a bucket starts full, refills tokensPerFill each fillInterval up to maxTokens, and says when")
    func tokenBucket() {
        let bucket = TokenBucket(maxTokens: 3, tokensPerFill: 2, fillInterval: .seconds(10), now: 0)
        #expect(bucket.take(now: 0) == .init(allowed: true, remaining: 2, resetSeconds: 10))
        #expect(bucket.take(now: Self.second).allowed)
        #expect(bucket.take(now: 2 * Self.second) == .init(allowed: true, remaining: 0, resetSeconds: 8))
        #expect(bucket.take(now: 9 * Self.second) == .init(allowed: false, remaining: 0, resetSeconds: 1))
        // One fill: two tokens.
        #expect(bucket.take(now: 10 * Self.second) == .init(allowed: true, remaining: 1, resetSeconds: 10))
        // Many fills while idle: capped at maxTokens.
        #expect(bucket.take(now: 100 * Self.second) == .init(allowed: true, remaining: 2, resetSeconds: 10))
    }

    @Test("a limiter keeps one bucket per header value, refuses over the limit, and honours enforcement")
    func limiter() {
        var config = LocalRateLimitConfig(statPrefix: "api", maxTokens: 2, tokensPerFill: 2, fillInterval: .seconds(60))
        config.perHeader = "x-client"
        config.rateLimitHeaders = true
        let limiter = LocalRateLimiter(config: config, now: 0)
        func check(_ client: String?) -> String {
            let headers = HTTPHeaders(client.map { [("x-client", $0)] } ?? [])
            switch limiter.check(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers), now: 0, roll: 0) {
            case .pass(let headers): return "pass " + (headers.first { $0.0 == "x-ratelimit-remaining" }?.1 ?? "")
            case .limited: return "429"
            }
        }
        #expect([check("a"), check("a"), check("a"), check("b"), check(nil), check(nil), check(nil)]
            == ["pass 1", "pass 0", "429", "pass 1", "pass 1", "pass 0", "429"])
        #expect(limiter.values.map(\.1) == [7, 5, 2, 2])

        config.enforcedPercent = 0
        let shadow = LocalRateLimiter(config: config, now: 0)
        for _ in 0..<5 {
            if case .limited = shadow.check(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"), now: 0, roll: 12345) { Issue.record("an unenforced limit refused a request") }
        }
        #expect(shadow.values.map(\.1) == [5, 2, 3, 0])
    }

    static let envoyFilter = """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: filter-local-ratelimit-svc, namespace: istio-system}
        spec:
          workloadSelector:
            labels: {app: productpage}
          configPatches:
          - applyTo: HTTP_FILTER
            match:
              context: SIDECAR_INBOUND
              listener:
                filterChain:
                  filter: {name: envoy.filters.network.http_connection_manager}
            patch:
              operation: INSERT_BEFORE
              value:
                name: envoy.filters.http.local_ratelimit
                typed_config:
                  "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                  type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                  value:
                    stat_prefix: http_local_rate_limiter
                    token_bucket: {max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}
                    filter_enabled:
                      runtime_key: local_rate_limit_enabled
                      default_value: {numerator: 100, denominator: HUNDRED}
                    filter_enforced:
                      runtime_key: local_rate_limit_enforced
                      default_value: {numerator: 5000, denominator: TEN_THOUSAND}
                    response_headers_to_add:
                    - append: false
                      header: {key: x-local-rate-limit, value: 'true'}
                    enable_x_ratelimit_headers: DRAFT_VERSION_03
        """

    @Test("the EnvoyFilter shape of Istio's docs: bucket, percentages, headers, context; other workloads are not selected")
    func envoyFilterShape() throws {
        let document = try YAML.parse(Self.envoyFilter)
        let spec = try FieldReader(resource: "EnvoyFilter istio-system/filter-local-ratelimit-svc", path: "spec", value: document["spec"])
        let limits = try RateLimitParser.envoyFilter(spec, workloadLabels: ["app": "productpage", "version": "v1"])
        let limit = try #require(limits.first)
        #expect(limits.count == 1)
        #expect(limit.statPrefix == "http_local_rate_limiter")
        #expect(limit.maxTokens == 4 && limit.tokensPerFill == 4 && limit.fillInterval == .seconds(60))
        #expect(limit.enabledPercent == 100 && limit.enforcedPercent == 50)
        #expect(limit.responseHeaders.map { "\($0.0)=\($0.1)" } == ["x-local-rate-limit=true"])
        #expect(limit.rateLimitHeaders)
        #expect(limit.scope == .inbound)
        #expect(try RateLimitParser.envoyFilter(spec, workloadLabels: ["app": "reviews"]).isEmpty)
    }

    @Test(
        "EnvoyFilters meshctl can't honour, and bad buckets, fail naming the field",
        arguments: [
            ("applyTo: CLUSTER", "configPatches[0].applyTo: only HTTP_FILTER patches inserting envoy.filters.http.local_ratelimit"),
            ("max_tokens: 4", "token_bucket.fill_interval: required, at least 50ms"),
            ("fill_interval: 10ms", "token_bucket.max_tokens: required, at least 1"),
        ])
    func unsupported(_ change: String, _ expected: String) throws {
        var text = Self.envoyFilter
        switch change {
        case "applyTo: CLUSTER": text = text.replacingOccurrences(of: "applyTo: HTTP_FILTER", with: change)
        case "max_tokens: 4": text = text.replacingOccurrences(of: "{max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}", with: "{max_tokens: 4}")
        default: text = text.replacingOccurrences(of: "{max_tokens: 4, tokens_per_fill: 4, fill_interval: 60s}", with: "{fill_interval: 10ms}")
        }
        let spec = try FieldReader(resource: "EnvoyFilter x", path: "spec", value: YAML.parse(text)["spec"])
        do {
            _ = try RateLimitParser.envoyFilter(spec, workloadLabels: ["app": "productpage"])
            Issue.record("accepted \(change)")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}

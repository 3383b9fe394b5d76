import MeshCore

/// Local rate limits, in the two forms users write them: the `envoy.filters.http.local_ratelimit` EnvoyFilter
/// shape of Istio's docs, and the bootstrap's own `rateLimits`.
enum RateLimitParser {
    static let filterName = "envoy.filters.http.local_ratelimit"

    /// Envoy's minimum fill interval.
    static let minimumFill = Duration.milliseconds(50)

    /// `spec.rateLimits` of the bootstrap (checked fully; `rateLimitHeaders` defaults to true here).
    static func bootstrap(_ items: [FieldReader]) throws(ProxyError) -> [LocalRateLimitConfig] {
        var result: [LocalRateLimitConfig] = []
        for item in items {
            guard let bucket = try item.child("tokenBucket") else { throw item.fail("tokenBucket", "required") }
            var limit = try tokenBucket(
                statPrefix: item.requiredString("name"), bucket, max: "maxTokens", perFill: "tokensPerFill", interval: "fillInterval")
            let listeners = try item.strings("listeners")
            if !listeners.isEmpty { limit.scope = .listeners(listeners) }
            limit.route = try item.string("route")
            limit.perHeader = try item.string("perHeader")?.lowercased()
            limit.responseHeaders = try item.stringMap("responseHeaders").sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }
            limit.rateLimitHeaders = try item.bool("rateLimitHeaders") ?? true
            result.append(limit)
        }
        return result
    }

    /// The local rate limits of an EnvoyFilter that selects this workload (none when its `workloadSelector`
    /// doesn't match): HTTP_FILTER patches inserting the local rate limit filter, and HTTP_ROUTE patches giving a
    /// route its own config (Istio's "local rate limit on a route"). Other patches are refused: meshctl's proxy is
    /// not Envoy, and silently ignoring a patch would be worse.
    static func envoyFilter(_ spec: FieldReader, workloadLabels: [String: String]) throws(ProxyError) -> [LocalRateLimitConfig] {
        let selector = try spec.child("workloadSelector")?.stringMap("labels") ?? [:]
        if !selector.allSatisfy({ workloadLabels[$0.key] == $0.value }) { return [] }
        var result: [LocalRateLimitConfig] = []
        for patch in try spec.children("configPatches") {
            let scope: LocalRateLimitConfig.Scope
            switch try patch.child("match")?.string("context") ?? "ANY" {
            case "SIDECAR_INBOUND": scope = .inbound
            case "SIDECAR_OUTBOUND": scope = .outbound
            case "GATEWAY": scope = .gateway
            case "ANY": scope = .any
            case let other: throw patch.fail("match.context", "expected SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY or ANY, not \(other)")
            }
            switch try patch.string("applyTo") ?? "" {
            case "HTTP_FILTER":
                guard let value = try patch.child("patch")?.child("value"), try value.string("name") == filterName else {
                    throw patch.fail("patch.value.name", "only \(filterName) can be inserted")
                }
                guard let typed = try value.child("typed_config") else { throw value.fail("typed_config", "required") }
                let config = try unwrapped(typed)
                // Without a token_bucket the filter limits nothing by itself; per-route configs do.
                guard config.has("token_bucket") else { continue }
                if config.has("descriptors") {
                    throw config.fail("descriptors", "descriptors need a route's rate_limits: set them in an HTTP_ROUTE patch's typed_per_filter_config")
                }
                var limit = try localRateLimit(config)
                limit.scope = scope
                result.append(limit)
            case "HTTP_ROUTE":
                result.append(try routeLimit(patch, scope: scope))
            default:
                throw patch.fail(
                    "applyTo",
                    "only HTTP_FILTER patches inserting \(filterName) and HTTP_ROUTE patches configuring it are supported (or use the bootstrap's rateLimits)")
            }
        }
        return result
    }

    /// Istio's docs wrap the config in a TypedStruct (`type_url` + `value`); the typed form has it inline.
    static func unwrapped(_ typed: FieldReader) throws(ProxyError) -> FieldReader {
        if let wrapped = try typed.child("value"), try typed.string("type_url") != nil { return wrapped }
        return typed
    }

    /// The `LocalRateLimit` proto's fields. As in Envoy, an unset `filter_enabled` or `filter_enforced` is 0%.
    static func localRateLimit(_ config: FieldReader) throws(ProxyError) -> LocalRateLimitConfig {
        guard let bucket = try config.child("token_bucket") else { throw config.fail("token_bucket", "required") }
        var limit = try tokenBucket(
            statPrefix: config.requiredString("stat_prefix"), bucket, max: "max_tokens", perFill: "tokens_per_fill",
            interval: "fill_interval")
        limit.enabledPercent = try percent(config.child("filter_enabled"))
        limit.enforcedPercent = try percent(config.child("filter_enforced"))
        for item in try config.children("response_headers_to_add") {
            guard let header = try item.child("header") else { throw item.fail("header", "required") }
            limit.responseHeaders.append((try header.requiredString("key").lowercased(), try header.string("value") ?? ""))
        }
        switch try config.string("enable_x_ratelimit_headers") {
        case nil, "OFF": limit.rateLimitHeaders = false
        case "DRAFT_VERSION_03": limit.rateLimitHeaders = true
        case let other?: throw config.fail("enable_x_ratelimit_headers", "expected OFF or DRAFT_VERSION_03, not \(other)")
        }
        for item in try config.children("descriptors") {
            guard let bucket = try item.child("token_bucket") else { throw item.fail("token_bucket", "required") }
            let parsed = try tokenBucket(statPrefix: limit.statPrefix, bucket, max: "max_tokens", perFill: "tokens_per_fill", interval: "fill_interval")
            let entries = try item.children("entries").map { (entry) throws(ProxyError) in
                RateLimitDescriptor.Entry(key: try entry.requiredString("key"), value: try entry.requiredString("value"))
            }
            guard !entries.isEmpty else { throw item.fail("entries", "required") }
            limit.descriptors.append(RateLimitDescriptor(
                entries: entries, maxTokens: parsed.maxTokens, tokensPerFill: parsed.tokensPerFill, fillInterval: parsed.fillInterval))
        }
        return limit
    }

    private static func tokenBucket(
        statPrefix: String, _ bucket: FieldReader, max: String, perFill: String, interval: String
    ) throws(ProxyError) -> LocalRateLimitConfig {
        guard let maxTokens = try bucket.int(max), maxTokens >= 1 else { throw bucket.fail(max, "required, at least 1") }
        let tokensPerFill = try bucket.int(perFill) ?? 1
        guard tokensPerFill >= 1 else { throw bucket.fail(perFill, "at least 1") }
        guard let fill = try bucket.duration(interval), fill >= minimumFill else {
            throw bucket.fail(interval, "required, at least 50ms")
        }
        return LocalRateLimitConfig(statPrefix: statPrefix, maxTokens: maxTokens, tokensPerFill: tokensPerFill, fillInterval: fill)
    }

    /// A `RuntimeFractionalPercent`'s `default_value` as a percentage; unset is 0.
    private static func percent(_ fraction: FieldReader?) throws(ProxyError) -> Double {
        guard let fraction, let value = try fraction.child("default_value") else { return 0 }
        let numerator = Double(try value.int("numerator") ?? 0)
        switch try value.string("denominator") ?? "HUNDRED" {
        case "HUNDRED": return min(100, numerator)
        case "TEN_THOUSAND": return min(100, numerator / 100)
        case "MILLION": return min(100, numerator / 10_000)
        case let other: throw value.fail("denominator", "expected HUNDRED, TEN_THOUSAND or MILLION, not \(other)")
        }
    }
}

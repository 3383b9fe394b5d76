import MeshCore
import MeshPolicy

/// A VirtualService `http` route as a route rule: matches, weighted destinations, redirect, direct response,
/// rewrite, timeout, retries, fault injection and header manipulation.
extension VirtualServiceParser {
    static func rule(_ route: HTTPRoute, field: FieldPath, namespace: String, config: ProxyConfig) throws(ProxyError) -> HTTPRouteRule {
        var matches: [RequestMatch] = []
        for (index, match) in (route.match ?? []).enumerated() {
            matches.append(try requestMatch(match, field: field.at("match")[index]))
        }
        var rule = HTTPRouteRule(name: route.name ?? "", matches: matches, action: try action(route, field: field, namespace: namespace, config: config))
        if let rewrite = route.rewrite { rule.rewrite = .init(uri: rewrite.uri, authority: rewrite.authority) }
        rule.timeout = try field.at("timeout").duration(route.timeout)
        if let retries = route.retries { rule.retries = try retryPolicy(retries, field: field.at("retries")) }
        if let fault = route.fault { rule.fault = try faultInjection(fault, field: field.at("fault")) }
        if let request = route.headers?.request {
            rule.requestHeadersToSet = headerPairs(request.set) + headerPairs(request.add)
            rule.requestHeadersToRemove = (request.remove ?? []).map { $0.lowercased() }
        }
        if let response = route.headers?.response {
            rule.responseHeadersToSet = headerPairs(response.set) + headerPairs(response.add)
        }
        return rule
    }

    /// What a matching request gets: a redirect, a direct response, or forwarding to weighted destinations.
    private static func action(
        _ route: HTTPRoute, field: FieldPath, namespace: String, config: ProxyConfig
    ) throws(ProxyError) -> HTTPRouteRule.Action {
        if let redirect = route.redirect {
            let status = redirect.redirectCode ?? 301
            guard (300...399).contains(status) else { throw field.at("redirect").at("redirectCode").fail("must be a 3xx status") }
            return .redirect(HTTPRouteRule.Redirect(
                uri: redirect.uri, authority: redirect.authority, scheme: redirect.scheme, port: redirect.port, status: status))
        }
        if let direct = route.directResponse {
            guard let status = direct.status, (200...599).contains(status) else {
                throw field.at("directResponse").at("status").fail("required, 200 to 599")
            }
            return .directResponse(status: status, body: direct.body?.string ?? "")
        }
        guard route.route != nil else { throw field.at("route").fail("a route needs route, redirect or directResponse") }
        return .route(try weightedDestinations(route.route, field: field.at("route"), namespace: namespace, config: config))
    }

    private static func retryPolicy(_ retries: HTTPRetry, field: FieldPath) throws(ProxyError) -> RetryPolicy {
        let attempts = retries.attempts ?? 0
        guard attempts >= 0 else { throw field.at("attempts").fail("must not be negative") }
        var policy = RetryPolicy(attempts: attempts, perTryTimeout: try field.at("perTryTimeout").duration(retries.perTryTimeout), retryOn: [])
        guard let text = retries.retryOn else {
            policy.retryOn = RetryPolicy.istioDefault.retryOn
            return policy
        }
        let (conditions, codes, unknown) = RetryOn.parse(text)
        if let first = unknown.first { throw field.at("retryOn").fail("unknown condition \(first)") }
        policy.retryOn = conditions
        if !codes.isEmpty { policy.retriableStatusCodes = codes }
        return policy
    }

    private static func faultInjection(_ fault: HTTPFaultInjection, field: FieldPath) throws(ProxyError) -> FaultInjection {
        var injection = FaultInjection()
        if let delay = fault.delay {
            let at = field.at("delay")
            guard let duration = try at.at("fixedDelay").duration(delay.fixedDelay) else { throw at.at("fixedDelay").fail("required") }
            injection.delay = (duration, try share(delay.percentage, percent: delay.percent, field: at))
        }
        if let abort = fault.abort {
            let at = field.at("abort")
            guard let status = abort.httpStatus, (200...599).contains(status) else { throw at.at("httpStatus").fail("required, 200 to 599") }
            injection.abort = (status, try share(abort.percentage, percent: nil, field: at))
        }
        return injection
    }

    /// `percentage.value`, else the deprecated integer `percent`; Istio's default is 100.
    private static func share(_ percentage: Percent?, percent: Int?, field: FieldPath) throws(ProxyError) -> Double {
        if let percentage {
            let value = percentage.value ?? 0
            guard (0...100).contains(value) else { throw field.at("percentage").at("value").fail("must be 0 to 100") }
            return value
        }
        return percent.map(Double.init) ?? 100
    }

    /// Headers to set or add, names lowercased, in name order.
    private static func headerPairs(_ headers: [String: String]?) -> [(String, String)] {
        (headers ?? [:]).sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }
    }

    static func requestMatch(_ match: HTTPMatchRequest, field: FieldPath) throws(ProxyError) -> RequestMatch {
        var result = RequestMatch()
        result.uri = try stringMatch(match.uri, field: field.at("uri"))
        result.method = try stringMatch(match.method, field: field.at("method"))
        result.authority = try stringMatch(match.authority, field: field.at("authority"))
        result.scheme = try stringMatch(match.scheme, field: field.at("scheme"))
        result.port = match.port
        result.ignoreUriCase = match.ignoreUriCase ?? false
        result.headers = try namedMatches(match.headers, field: field.at("headers"))
        result.withoutHeaders = try namedMatches(match.withoutHeaders, field: field.at("withoutHeaders"))
        result.queryParams = try namedMatches(match.queryParams, field: field.at("queryParams"), lowercase: false)
        return result
    }

    /// Header or query parameter conditions, in name order.
    private static func namedMatches(
        _ matches: [String: MeshPolicy.StringMatch]?, field: FieldPath, lowercase: Bool = true
    ) throws(ProxyError) -> [(String, StringMatch)] {
        var result: [(String, StringMatch)] = []
        for (name, match) in (matches ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let compiled = try stringMatch(match, field: field.at(name)) else { continue }
            result.append((lowercase ? name.lowercased() : name, compiled))
        }
        return result
    }

    static func stringMatch(_ match: MeshPolicy.StringMatch?, field: FieldPath) throws(ProxyError) -> StringMatch? {
        guard let match else { return nil }
        if let value = match.exact { return .exact(value) }
        if let value = match.prefix { return .prefix(value) }
        if let value = match.regex {
            do {
                return .regex(try CompiledRegex(value))
            } catch {
                throw field.at("regex").fail("invalid regular expression \(value)")
            }
        }
        throw field.at("exact").fail("expected exact, prefix or regex")
    }
}

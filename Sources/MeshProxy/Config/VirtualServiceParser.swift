import MeshCore
import MeshPolicy

/// Istio `VirtualService` HTTP routes: matches, weighted destinations, redirect, direct response, rewrite,
/// timeout, retries, fault injection and header manipulation; the gateways it binds to; TCP and TLS routes.
enum VirtualServiceParser {
    static func apply(_ spec: FieldReader, namespace: String, to config: inout ProxyConfig) throws(ProxyError) {
        let hosts = try spec.strings("hosts").map { $0.lowercased() }
        guard !hosts.isEmpty else { throw spec.fail("hosts", "at least one host is required") }
        let gateways = try gatewayNames(spec.strings("gateways"), namespace: namespace)
        var rules: [HTTPRouteRule] = []
        for route in try spec.children("http") {
            rules.append(try rule(route, namespace: namespace, config: config))
        }
        config.routes.virtualHosts.append(
            VirtualHost(name: spec.resource, domains: hosts, routes: rules, namespace: namespace, gateways: gateways))
        for route in try spec.children("tcp") {
            config.tcpRoutes.append(try tcpRoute(route, namespace: namespace, gateways: gateways, config: config))
        }
        for route in try spec.children("tls") {
            let destinations = try weightedDestinations(route, namespace: namespace, config: config)
            config.tlsRoutes += try tlsMatches(route, hosts: hosts).map { match in
                SNIRoute(
                    name: spec.resource, namespace: namespace, gateways: gateways, port: match.port, sniHosts: match.sniHosts,
                    destinations: destinations)
            }
        }
    }

    /// The matches of one `tls` route: each needs `sniHosts`, within the VirtualService's `hosts`.
    private static func tlsMatches(_ route: FieldReader, hosts: [String]) throws(ProxyError) -> [(port: Int?, sniHosts: [String])] {
        let matches = try route.children("match")
        guard !matches.isEmpty else { throw route.fail("match", "a tls route needs at least one match with sniHosts") }
        var result: [(port: Int?, sniHosts: [String])] = []
        for match in matches {
            let sniHosts = try match.strings("sniHosts").map { $0.lowercased() }
            guard !sniHosts.isEmpty else { throw match.fail("sniHosts", "required: the server names this route matches") }
            for (index, sniHost) in sniHosts.enumerated()
            where !hosts.contains(where: { HostIntersection.intersect($0, sniHost) == sniHost }) {
                throw match.fail("sniHosts[\(index)]", "\(sniHost) is not within the VirtualService's hosts")
            }
            result.append((try match.int("port"), sniHosts))
        }
        return result
    }

    /// `gateways` as `namespace/name` (a bare name is in the VirtualService's namespace); `mesh` when empty.
    static func gatewayNames(_ names: [String], namespace: String) -> Set<String> {
        guard !names.isEmpty else { return ["mesh"] }
        return Set(names.map { $0 == "mesh" || $0.contains("/") ? $0 : "\(namespace)/\($0)" })
    }

    /// One `tcp` route: its port match and its single destination.
    static func tcpRoute(_ route: FieldReader, namespace: String, gateways: Set<String>, config: ProxyConfig) throws(ProxyError) -> TCPRoute {
        var ports: [Int] = []
        for match in try route.children("match") {
            if let port = try match.int("port") { ports.append(port) }
        }
        let destinations = try route.children("route")
        guard destinations.count == 1, let target = try destinations[0].child("destination") else {
            throw route.fail("route", "exactly one destination is supported for TCP routes")
        }
        return TCPRoute(
            name: route.resource, gateways: gateways, ports: ports, cluster: try clusterName(target, namespace: namespace, config: config))
    }

    /// The cluster a `destination` names: its host's cluster, or the subset's.
    static func clusterName(_ target: FieldReader, namespace: String, config: ProxyConfig) throws(ProxyError) -> String {
        let host = try target.requiredString("host")
        guard let base = ConfigLoader.clusterName(for: host, namespace: namespace, in: config) else {
            throw target.fail("host", "\(host) names no ServiceEntry or cluster")
        }
        guard let subset = try target.string("subset") else { return base }
        let name = "\(base)|\(subset)"
        guard config.clusters[name] != nil else {
            throw target.fail("subset", "no DestinationRule defines subset \(subset) of \(host)")
        }
        return name
    }

    /// The `route` list of an `http` or `tls` route: destinations and their weights.
    private static func weightedDestinations(
        _ route: FieldReader, namespace: String, config: ProxyConfig
    ) throws(ProxyError) -> [HTTPRouteRule.WeightedCluster] {
        let routes = try route.children("route")
        guard !routes.isEmpty else { throw route.fail("route", "at least one destination is required") }
        var destinations: [HTTPRouteRule.WeightedCluster] = []
        for destination in routes {
            guard let target = try destination.child("destination") else { throw destination.fail("destination", "required") }
            let name = try clusterName(target, namespace: namespace, config: config)
            let weight = try destination.int("weight") ?? (routes.count == 1 ? 100 : 0)
            guard weight >= 0 else { throw destination.fail("weight", "must not be negative") }
            destinations.append(.init(cluster: name, weight: weight))
        }
        if destinations.count > 1, destinations.allSatisfy({ $0.weight == 0 }) {
            throw route.fail("route", "weights must not all be 0")
        }
        return destinations
    }

    static func rule(_ route: FieldReader, namespace: String, config: ProxyConfig) throws(ProxyError) -> HTTPRouteRule {
        var matches: [RequestMatch] = []
        for match in try route.children("match") { matches.append(try requestMatch(match)) }
        let action: HTTPRouteRule.Action
        if let redirect = try route.child("redirect") {
            let status = try redirect.int("redirectCode") ?? 301
            guard (300...399).contains(status) else { throw redirect.fail("redirectCode", "must be a 3xx status") }
            action = .redirect(HTTPRouteRule.Redirect(
                uri: try redirect.string("uri"), authority: try redirect.string("authority"),
                scheme: try redirect.string("scheme"), port: try redirect.int("port"), status: status))
        } else if let direct = try route.child("directResponse") {
            guard let status = try direct.int("status"), (200...599).contains(status) else {
                throw direct.fail("status", "required, 200 to 599")
            }
            let body = try direct.child("body").map { body throws(ProxyError) in try body.string("string") ?? "" } ?? ""
            action = .directResponse(status: status, body: body)
        } else {
            guard route.has("route") else { throw route.fail("route", "a route needs route, redirect or directResponse") }
            action = .route(try weightedDestinations(route, namespace: namespace, config: config))
        }
        var rule = HTTPRouteRule(name: try route.string("name") ?? "", matches: matches, action: action)
        if let rewrite = try route.child("rewrite") {
            rule.rewrite = .init(uri: try rewrite.string("uri"), authority: try rewrite.string("authority"))
        }
        rule.timeout = try route.duration("timeout")
        if let retries = try route.child("retries") {
            let attempts = try retries.int("attempts") ?? 0
            guard attempts >= 0 else { throw retries.fail("attempts", "must not be negative") }
            var policy = RetryPolicy(attempts: attempts, perTryTimeout: try retries.duration("perTryTimeout"), retryOn: [])
            if let text = try retries.string("retryOn") {
                let (conditions, codes, unknown) = RetryOn.parse(text)
                if let first = unknown.first { throw retries.fail("retryOn", "unknown condition \(first)") }
                policy.retryOn = conditions
                if !codes.isEmpty { policy.retriableStatusCodes = codes }
            } else {
                policy.retryOn = RetryPolicy.istioDefault.retryOn
            }
            rule.retries = policy
        }
        if let fault = try route.child("fault") {
            var injection = FaultInjection()
            if let delay = try fault.child("delay") {
                guard let duration = try delay.duration("fixedDelay") else { throw delay.fail("fixedDelay", "required") }
                injection.delay = (duration, try percentage(delay))
            }
            if let abort = try fault.child("abort") {
                guard let status = try abort.int("httpStatus"), (200...599).contains(status) else {
                    throw abort.fail("httpStatus", "required, 200 to 599")
                }
                injection.abort = (status, try percentage(abort))
            }
            rule.fault = injection
        }
        if let headers = try route.child("headers") {
            if let request = try headers.child("request") {
                rule.requestHeadersToSet = try request.stringMap("set").sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }
                    + request.stringMap("add").sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }
                rule.requestHeadersToRemove = try request.strings("remove").map { $0.lowercased() }
            }
            if let response = try headers.child("response") {
                rule.responseHeadersToSet = try response.stringMap("set").sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }
                    + response.stringMap("add").sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }
            }
        }
        return rule
    }

    /// `percentage.value` (Istio's default is 100 when absent).
    private static func percentage(_ reader: FieldReader) throws(ProxyError) -> Double {
        if let percentage = try reader.child("percentage") {
            let value = try percentage.double("value") ?? 0
            guard (0...100).contains(value) else { throw percentage.fail("value", "must be 0 to 100") }
            return value
        }
        if let percent = try reader.int("percent") { return Double(percent) }
        return 100
    }

    static func requestMatch(_ match: FieldReader) throws(ProxyError) -> RequestMatch {
        var result = RequestMatch()
        result.uri = try stringMatch(match.child("uri"))
        result.method = try stringMatch(match.child("method"))
        result.authority = try stringMatch(match.child("authority"))
        result.scheme = try stringMatch(match.child("scheme"))
        result.port = try match.int("port")
        result.ignoreUriCase = try match.bool("ignoreUriCase") ?? false
        result.headers = try namedMatches(match.child("headers"))
        result.withoutHeaders = try namedMatches(match.child("withoutHeaders"))
        result.queryParams = try namedMatches(match.child("queryParams"), lowercase: false)
        return result
    }

    private static func namedMatches(_ reader: FieldReader?, lowercase: Bool = true) throws(ProxyError) -> [(String, StringMatch)] {
        guard let reader else { return [] }
        var result: [(String, StringMatch)] = []
        for key in reader.object.keys {
            guard let match = try stringMatch(reader.child(key)) else { continue }
            result.append((lowercase ? key.lowercased() : key, match))
        }
        return result
    }

    static func stringMatch(_ reader: FieldReader?) throws(ProxyError) -> StringMatch? {
        guard let reader else { return nil }
        if let value = try reader.string("exact") { return .exact(value) }
        if let value = try reader.string("prefix") { return .prefix(value) }
        if let value = try reader.string("regex") {
            do {
                return .regex(try CompiledRegex(value))
            } catch {
                throw reader.fail("regex", "invalid regular expression \(value)")
            }
        }
        throw reader.fail("exact", "expected exact, prefix or regex")
    }
}

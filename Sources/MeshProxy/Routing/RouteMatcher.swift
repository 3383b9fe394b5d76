import NIOHTTP1

/// Picks the route of a request (Istio `HTTPRoute` semantics: first route whose any match holds) and the
/// destination of a weighted split. Pure: no I/O, testable without sockets.
enum RouteMatcher {
    /// The first rule of `host` that matches the request, if any.
    static func match(
        _ head: HTTPRequestHead, in host: VirtualHost, port: Int, scheme: String
    ) -> HTTPRouteRule? {
        for rule in host.routes where rule.matches.isEmpty || rule.matches.contains(where: {
            matches($0, head, port: port, scheme: scheme)
        }) {
            return rule
        }
        return nil
    }

    /// Whether one `HTTPMatchRequest` holds for the request.
    static func matches(_ match: RequestMatch, _ head: HTTPRequestHead, port: Int, scheme: String) -> Bool {
        let uri = head.uri[...]
        let path = uri.firstIndex(of: "?").map { uri[..<$0] } ?? uri
        if let condition = match.uri {
            if match.ignoreUriCase {
                let lowered = path.lowercased()
                switch condition {
                case .exact(let value): if lowered != value.lowercased() { return false }
                case .prefix(let value): if !lowered.hasPrefix(value.lowercased()) { return false }
                case .regex: if !condition.matches(lowered) { return false }
                }
            } else if !condition.matches(path) {
                return false
            }
        }
        if let condition = match.method, !condition.matches(head.method.rawValue) { return false }
        if let condition = match.scheme, !condition.matches(scheme) { return false }
        if let expected = match.port, expected != port { return false }
        if let condition = match.authority, !condition.matches(head.headers.first(name: "host") ?? "") { return false }
        for (name, condition) in match.headers {
            guard let value = head.headers.first(name: name), condition.matches(value) else { return false }
        }
        for (name, condition) in match.withoutHeaders {
            if let value = head.headers.first(name: name), condition.matches(value) { return false }
        }
        if !match.queryParams.isEmpty {
            let query = queryParameters(uri)
            for (name, condition) in match.queryParams {
                guard let value = query.first(where: { $0.0 == name })?.1, condition.matches(value) else { return false }
            }
        }
        return true
    }

    /// The port in the Host header, if any.
    static func port(of head: HTTPRequestHead) -> Int? {
        guard let host = head.headers.first(name: "host"), let colon = host.lastIndex(of: ":"),
            !host.hasSuffix("]")
        else { return nil }
        return Int(host[host.index(after: colon)...])
    }

    /// `a=1&b=2` pairs of the URI's query (not percent-decoded, as Envoy matches them raw).
    static func queryParameters(_ uri: Substring) -> [(Substring, Substring)] {
        guard let question = uri.firstIndex(of: "?") else { return [] }
        return uri[uri.index(after: question)...].split(separator: "&").map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (pair[..<equals], pair[pair.index(after: equals)...])
            }
            return (pair, "")
        }
    }

    /// The cluster of a weighted split for a random number `roll`.
    static func pick(_ clusters: [HTTPRouteRule.WeightedCluster], roll: UInt64) -> String? {
        if clusters.count == 1 { return clusters[0].cluster }
        let total = clusters.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return clusters.first?.cluster }
        var point = Int(roll % UInt64(total))
        for cluster in clusters where cluster.weight > 0 {
            if point < cluster.weight { return cluster.cluster }
            point -= cluster.weight
        }
        return clusters.last?.cluster
    }

    /// The URI after Istio's `rewrite.uri`: a prefix match has its prefix replaced, other matches the path.
    static func rewriteURI(_ uri: String, rewrite: String, matched: RequestMatch?) -> String {
        if case .prefix(let prefix)? = matched?.uri, uri.hasPrefix(prefix) {
            return rewrite + uri.dropFirst(prefix.count)
        }
        let query = uri.firstIndex(of: "?").map { String(uri[$0...]) } ?? ""
        return rewrite + query
    }

    /// The match of `rule` that held, for rewrites.
    static func matchedCondition(_ rule: HTTPRouteRule, _ head: HTTPRequestHead, port: Int, scheme: String) -> RequestMatch? {
        rule.matches.first { matches($0, head, port: port, scheme: scheme) }
    }
}

import MeshPolicy

/// HTTP routes by host, from VirtualServices: what a request's `Host` selects.
public struct RouteTable: Sendable {
    /// Virtual hosts in the order they were declared.
    public var virtualHosts: [VirtualHost]

    public init(virtualHosts: [VirtualHost] = []) {
        self.virtualHosts = virtualHosts
    }

    /// The virtual host serving `authority` (port stripped): exact names first, then `*.suffix`, then `*`.
    public func virtualHost(for authority: Substring) -> VirtualHost? {
        guard !virtualHosts.isEmpty else { return nil }
        let host = Self.stripPort(authority).lowercased()
        var wildcard: VirtualHost?
        var wildcardLength = -1
        var catchAll: VirtualHost?
        for virtualHost in virtualHosts {
            for domain in virtualHost.domains {
                if domain == "*" {
                    if catchAll == nil { catchAll = virtualHost }
                } else if domain.hasPrefix("*") {
                    let suffix = domain.dropFirst()
                    if host.hasSuffix(suffix), suffix.count > wildcardLength {
                        wildcard = virtualHost
                        wildcardLength = suffix.count
                    }
                } else if domain == host || Self.shortNameMatches(domain: domain, host: host) {
                    return virtualHost
                }
            }
        }
        return wildcard ?? catchAll
    }

    /// `reviews` matches `reviews.default.svc.cluster.local` and the other way round, as in a sidecar's
    /// DNS search path.
    static func shortNameMatches(domain: String, host: String) -> Bool {
        if domain.hasPrefix(host + ".") { return true }
        if host.hasPrefix(domain + ".") { return true }
        return false
    }

    /// The routes a listener serves: a sidecar's listeners take the VirtualServices bound to `mesh`; a
    /// gateway's take those bound to its Gateways, narrowed to the hosts its servers expose (a VirtualService for
    /// `*` behind a server for `shop.example.com` serves `shop.example.com`), and answer hosts under
    /// `httpsRedirect` with a 301 to HTTPS.
    func routes(for listener: ListenerConfig) -> RouteTable {
        guard let binding = listener.gateway else {
            return RouteTable(virtualHosts: virtualHosts.filter { $0.gateways.contains("mesh") })
        }
        var result: [VirtualHost] = []
        let redirected = binding.hosts.filter(\.httpsRedirect).map(\.host)
        if !redirected.isEmpty {
            let redirect = HTTPRouteRule.Redirect(uri: nil, authority: nil, scheme: "https", port: nil, status: 301)
            result.append(VirtualHost(
                name: "httpsRedirect", domains: redirected,
                routes: [HTTPRouteRule(name: "https-redirect", matches: [], action: .redirect(redirect))]))
        }
        for virtualHost in virtualHosts where !virtualHost.gateways.isDisjoint(with: binding.gateways) {
            let domains = binding.narrow(virtualHost.domains, namespace: virtualHost.namespace)
            guard !domains.isEmpty else { continue }
            var narrowed = virtualHost
            narrowed.domains = domains
            result.append(narrowed)
        }
        return RouteTable(virtualHosts: result)
    }

    static func stripPort(_ authority: Substring) -> Substring {
        if authority.hasPrefix("[") {
            if let close = authority.firstIndex(of: "]") { return authority[authority.index(after: authority.startIndex)..<close] }
            return authority
        }
        if let colon = authority.lastIndex(of: ":") { return authority[..<colon] }
        return authority
    }
}

/// The routes of one VirtualService (or the routes of several sharing hosts, in order).
public struct VirtualHost: Sendable {
    /// Where the routes came from (`VirtualService default/reviews`).
    public var name: String
    /// The VirtualService's namespace.
    public var namespace: String = "default"
    /// The gateways it applies to (`namespace/name`, or `mesh` for sidecars), from its `gateways` field.
    public var gateways: Set<String> = ["mesh"]
    /// Host names, lowercased; `*.example.com` and `*` are wildcards.
    public var domains: [String]
    /// Routes, first match wins.
    public var routes: [HTTPRouteRule]

    public init(
        name: String, domains: [String], routes: [HTTPRouteRule], namespace: String = "default", gateways: Set<String> = ["mesh"]
    ) {
        self.name = name
        self.domains = domains
        self.routes = routes
        self.namespace = namespace
        self.gateways = gateways
    }
}

import MeshPolicy

/// One match of a VirtualService `tls` route: connections to a gateway PASSTHROUGH server whose SNI is one of
/// `sniHosts` go, still encrypted, to its destinations.
public struct SNIRoute: Sendable {
    /// Where it came from (`VirtualService default/nginx`).
    public var name: String
    /// The VirtualService's namespace (a Gateway server host `ns/host` admits only that namespace's routes).
    public var namespace: String
    /// The gateways of its VirtualService.
    public var gateways: Set<String>
    /// The server port it matches (`match[].port`); `nil` matches any.
    public var port: Int?
    /// `match[].sniHosts`, lowercased; `*.example.com` is a wildcard.
    public var sniHosts: [String]
    /// Where matching connections go, by weight.
    public var destinations: [HTTPRouteRule.WeightedCluster]
}

/// The TLS routes of one gateway PASSTHROUGH listener: the SNI a client sends picks where its connection goes.
public struct SNIRouteTable: Sendable {
    /// One route, its SNI hosts narrowed to the hosts the listener's servers expose.
    public struct Entry: Sendable {
        public var name: String
        public var hosts: [String]
        public var destinations: [HTTPRouteRule.WeightedCluster]
    }

    /// Routes in the order they were declared.
    public var entries: [Entry]

    /// The route serving `serverName`: an exact host first, then the longest `*.suffix`, then `*`; the first
    /// declared among equals.
    public func entry(for serverName: String) -> Entry? {
        var best: (entry: Entry, rank: Int)?
        for entry in entries {
            for host in entry.hosts {
                let rank = host == serverName ? Int.max : HostIntersection.covers(host, serverName) ? host.count : nil
                if let rank, rank > best?.rank ?? -1 { best = (entry, rank) }
            }
        }
        return best?.entry
    }

    /// The table of a listener on server port `port` bound by `binding`: the routes of its Gateways for that
    /// port, each kept for the server hosts its namespace may use.
    init(routes: [SNIRoute], port: Int, binding: GatewayBinding) {
        entries = routes.compactMap { route in
            guard !route.gateways.isDisjoint(with: binding.gateways), route.port == nil || route.port == port else { return nil }
            let hosts = binding.narrow(route.sniHosts, namespace: route.namespace)
            return hosts.isEmpty ? nil : Entry(name: route.name, hosts: hosts, destinations: route.destinations)
        }
    }
}

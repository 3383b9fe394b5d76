import MeshPolicy

/// Istio `VirtualService`: its HTTP routes (`VirtualServiceParser+HTTP`), the gateways it binds to, and its
/// TCP and TLS routes.
enum VirtualServiceParser {
    static func apply(_ service: IstioResource<VirtualServiceSpec>, to config: inout ProxyConfig) throws(ProxyError) {
        let spec = service.spec
        let field = service.field
        let namespace = service.namespace
        let hosts = (spec.hosts ?? []).map { $0.lowercased() }
        guard !hosts.isEmpty else { throw field.at("hosts").fail("at least one host is required") }
        let gateways = gatewayNames(spec.gateways ?? [], namespace: namespace)
        var rules: [HTTPRouteRule] = []
        for (index, route) in (spec.http ?? []).enumerated() {
            rules.append(try rule(route, field: field.at("http")[index], namespace: namespace, config: config))
        }
        config.routes.virtualHosts.append(
            VirtualHost(name: field.resource, domains: hosts, routes: rules, namespace: namespace, gateways: gateways))
        for (index, route) in (spec.tcp ?? []).enumerated() {
            config.tcpRoutes.append(
                try tcpRoute(route, field: field.at("tcp")[index], namespace: namespace, gateways: gateways, config: config))
        }
        for (index, route) in (spec.tls ?? []).enumerated() {
            let at = field.at("tls")[index]
            let destinations = try weightedDestinations(route.route, field: at.at("route"), namespace: namespace, config: config)
            config.tlsRoutes += try tlsMatches(route.match ?? [], field: at.at("match"), hosts: hosts).map { match in
                SNIRoute(
                    name: field.resource, namespace: namespace, gateways: gateways, port: match.port, sniHosts: match.sniHosts,
                    destinations: destinations)
            }
        }
    }

    /// The matches of one `tls` route: each needs `sniHosts`, within the VirtualService's `hosts`.
    private static func tlsMatches(
        _ matches: [TLSMatchAttributes], field: FieldPath, hosts: [String]
    ) throws(ProxyError) -> [(port: Int?, sniHosts: [String])] {
        guard !matches.isEmpty else { throw field.fail("a tls route needs at least one match with sniHosts") }
        var result: [(port: Int?, sniHosts: [String])] = []
        for (index, match) in matches.enumerated() {
            let sniHosts = (match.sniHosts ?? []).map { $0.lowercased() }
            guard !sniHosts.isEmpty else { throw field[index].at("sniHosts").fail("required: the server names this route matches") }
            for (position, sniHost) in sniHosts.enumerated()
            where !hosts.contains(where: { HostIntersection.intersect($0, sniHost) == sniHost }) {
                throw field[index].at("sniHosts")[position].fail("\(sniHost) is not within the VirtualService's hosts")
            }
            result.append((match.port, sniHosts))
        }
        return result
    }

    /// `gateways` as `namespace/name` (a bare name is in the VirtualService's namespace); `mesh` when empty.
    static func gatewayNames(_ names: [String], namespace: String) -> Set<String> {
        guard !names.isEmpty else { return ["mesh"] }
        return Set(names.map { $0 == "mesh" || $0.contains("/") ? $0 : "\(namespace)/\($0)" })
    }

    /// One `tcp` route: its port match and its single destination.
    static func tcpRoute(
        _ route: MeshPolicy.TCPRoute, field: FieldPath, namespace: String, gateways: Set<String>, config: ProxyConfig
    ) throws(ProxyError) -> TCPRoute {
        let destinations = route.route ?? []
        guard destinations.count == 1, let target = destinations[0].destination else {
            throw field.at("route").fail("exactly one destination is supported for TCP routes")
        }
        let cluster = try clusterName(target, field: field.at("route")[0].at("destination"), namespace: namespace, config: config)
        return TCPRoute(name: field.resource, gateways: gateways, ports: (route.match ?? []).compactMap(\.port), cluster: cluster)
    }

    /// The cluster a `destination` names: its host's cluster, or the subset's.
    static func clusterName(_ target: Destination, field: FieldPath, namespace: String, config: ProxyConfig) throws(ProxyError) -> String {
        guard let host = target.host, !host.isEmpty else { throw field.at("host").fail("required") }
        guard let base = ConfigLoader.clusterName(for: host, namespace: namespace, in: config) else {
            throw field.at("host").fail("\(host) names no ServiceEntry or cluster")
        }
        guard let subset = target.subset else { return base }
        let name = "\(base)|\(subset)"
        guard config.clusters[name] != nil else {
            throw field.at("subset").fail("no DestinationRule defines subset \(subset) of \(host)")
        }
        return name
    }

    /// The `route` list of an `http` or `tls` route: destinations and their weights.
    static func weightedDestinations(
        _ routes: [RouteDestination]?, field: FieldPath, namespace: String, config: ProxyConfig
    ) throws(ProxyError) -> [HTTPRouteRule.WeightedCluster] {
        let routes = routes ?? []
        guard !routes.isEmpty else { throw field.fail("at least one destination is required") }
        var destinations: [HTTPRouteRule.WeightedCluster] = []
        for (index, destination) in routes.enumerated() {
            guard let target = destination.destination else { throw field[index].at("destination").fail("required") }
            let name = try clusterName(target, field: field[index].at("destination"), namespace: namespace, config: config)
            let weight = destination.weight ?? (routes.count == 1 ? 100 : 0)
            guard weight >= 0 else { throw field[index].at("weight").fail("must not be negative") }
            destinations.append(.init(cluster: name, weight: weight))
        }
        if destinations.count > 1, destinations.allSatisfy({ $0.weight == 0 }) {
            throw field.fail("weights must not all be 0")
        }
        return destinations
    }
}

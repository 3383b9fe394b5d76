/// Istio resources for one service `svc.local` in front of the test upstreams.
enum ServiceYAML {
    /// A ServiceEntry over `UPSTREAM_0` to `UPSTREAM_<endpoints-1>`, a DestinationRule with `trafficPolicy` (a YAML
    /// flow mapping) if given, and a VirtualService sending every request there, with `routeFields`
    /// (`retries: …`) added to its route.
    static func service(endpoints: Int, trafficPolicy: String? = nil, routeFields: String = "") -> String {
        let list = (0..<endpoints).map { "{address: 127.0.0.1, ports: {http: UPSTREAM_\($0)}}" }.joined(separator: ", ")
        let fields = routeFields.isEmpty ? "" : routeFields + ", "
        let entry = """
            kind: ServiceEntry
            metadata: {name: svc}
            spec: {hosts: [svc.local], ports: [{number: 80, name: http}], endpoints: [\(list)]}
            """
        let rule = trafficPolicy.map { "kind: DestinationRule\nmetadata: {name: svc}\nspec: {host: svc.local, trafficPolicy: \($0)}" }
        let routes = """
            kind: VirtualService
            metadata: {name: svc}
            spec: {hosts: ["*"], http: [{\(fields)route: [{destination: {host: svc.local}}]}]}
            """
        return [entry, rule, routes].compactMap { $0 }.map { "apiVersion: networking.istio.io/v1\n" + $0 }.joined(separator: "\n---\n")
    }
}

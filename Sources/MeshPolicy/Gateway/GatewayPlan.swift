/// What `gateway create` writes: one Gateway for an ingress entry point and, when routes are given, the
/// VirtualService that binds its hosts to it and routes to the services — built and validated without I/O.
public struct GatewayPlan: Sendable {
    /// TLS at the gateway: terminated with a certificate from a secret, or passed through to the service.
    public enum TLSMode: String, Sendable, CaseIterable {
        case simple = "SIMPLE"
        case mutual = "MUTUAL"
        case passthrough = "PASSTHROUGH"
    }

    /// The command-line choices.
    public struct Request: Sendable {
        public var name: String
        public var namespace: String
        public var hosts: [String]
        public var port: Int?
        public var tlsSecret: String?
        public var tlsMode: TLSMode?
        public var selector: [String: String]
        public var routes: [GatewayRoute]

        public init(
            name: String, namespace: String, hosts: [String], port: Int? = nil, tlsSecret: String? = nil,
            tlsMode: TLSMode? = nil, selector: [String: String] = GatewayPlan.defaultSelector, routes: [GatewayRoute] = []
        ) {
            self.name = name
            self.namespace = namespace
            self.hosts = hosts
            self.port = port
            self.tlsSecret = tlsSecret
            self.tlsMode = tlsMode
            self.selector = selector
            self.routes = routes
        }
    }

    /// Istio's default ingress gateway deployment carries `istio: ingressgateway`.
    public static let defaultSelector = ["istio": "ingressgateway"]

    public var gateway: Resource<GatewaySpec>
    /// `nil` when no route was asked for (the hosts are then not bound yet).
    public var virtualService: Resource<VirtualServiceSpec>?

    /// Builds both objects. Inconsistent choices (a TLS mode without a secret, path routes on a passthrough
    /// server) and anything Istio's validation would reject are errors naming the problem.
    public init(_ request: Request) throws(PolicyError) {
        guard !request.hosts.isEmpty else { throw PolicyError("at least one host is required") }
        let mode = request.tlsMode ?? (request.tlsSecret == nil ? nil : .simple)
        switch mode {
        case .simple?, .mutual?:
            guard request.tlsSecret != nil else {
                throw PolicyError("TLS mode \(mode!.rawValue) terminates TLS at the gateway and needs the certificate's secret (--tls-secret)")
            }
        case .passthrough?:
            guard request.tlsSecret == nil else {
                throw PolicyError("TLS mode PASSTHROUGH leaves TLS to the service: the gateway uses no secret")
            }
            if let route = request.routes.first(where: { $0.pathPrefix != "/" }) {
                throw PolicyError("route \(route.description): a PASSTHROUGH gateway routes by SNI host, not by path; use SERVICE:PORT")
            }
            if request.routes.count > 1 {
                throw PolicyError("a PASSTHROUGH gateway sends each host to one service: give one route")
            }
        case nil:
            break
        }
        let port = request.port ?? (mode == nil ? 80 : 443)
        let proto = switch mode {
        case nil: "HTTP"
        case .passthrough?: "TLS"
        default: "HTTPS"
        }
        let server = GatewayServer(
            port: PortSpec(number: port, protocol: proto, name: "\(proto.lowercased())-\(port)"),
            hosts: request.hosts,
            tls: mode.map { ServerTLSSettings(mode: $0.rawValue, credentialName: request.tlsSecret) })
        let managed = [GatewayOwnership.managedByKey: GatewayOwnership.managedByValue]
        gateway = Resource(
            kind: .gateway, metadata: ObjectMeta(name: request.name, namespace: request.namespace, labels: managed),
            spec: GatewaySpec(servers: [server], selector: request.selector))
        if request.routes.isEmpty {
            virtualService = nil
        } else {
            var spec = VirtualServiceSpec(hosts: request.hosts, gateways: [request.name])
            if mode == .passthrough {
                let route = request.routes[0]
                spec.tls = [TLSRoute(
                    match: [TLSMatchAttributes(sniHosts: request.hosts, port: port)],
                    route: [RouteDestination(destination: Destination(host: route.service, port: route.port))])]
            } else {
                spec.http = Self.ordered(request.routes).map { route in
                    HTTPRoute(
                        match: [HTTPMatchRequest(uri: StringMatch(prefix: route.pathPrefix))],
                        route: [RouteDestination(destination: Destination(host: route.service, port: route.port))])
                }
            }
            virtualService = Resource(
                kind: .virtualService,
                metadata: ObjectMeta(name: request.name, namespace: request.namespace, labels: GatewayOwnership.routeLabels(gateway: request.name)),
                spec: spec)
        }
        try Self.check(.gateway(gateway))
        if let virtualService { try Self.check(.virtualService(virtualService)) }
    }

    /// Istio tries HTTP routes in order, so longer prefixes go first (`/api/v2` before `/api` before `/`).
    static func ordered(_ routes: [GatewayRoute]) -> [GatewayRoute] {
        routes.enumerated().sorted { a, b in
            a.element.pathPrefix.count != b.element.pathPrefix.count
                ? a.element.pathPrefix.count > b.element.pathPrefix.count : a.offset < b.offset
        }.map(\.element)
    }

    private static func check(_ resource: MeshResource) throws(PolicyError) {
        if let error = Validator.validate(resource).first(where: { $0.severity == .error }) {
            throw PolicyError("the \(resource.kind.rawValue) would be invalid: \(error.path): \(error.message)", path: error.path)
        }
    }

    /// The objects in the order they are written.
    public var resources: [MeshResource] {
        [.gateway(gateway)] + (virtualService.map { [.virtualService($0)] } ?? [])
    }
}

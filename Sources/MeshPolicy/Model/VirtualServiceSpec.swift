import MeshCore

/// `VirtualService.spec`: routing rules for the hosts it names, bound to gateways or to the mesh.
public struct VirtualServiceSpec: Codable, Sendable, Equatable {
    public var hosts: [String]?
    /// Gateways (`[namespace/]name`, or `mesh`) the routes apply to; none means the mesh.
    public var gateways: [String]?
    public var http: [HTTPRoute]?
    public var tls: [TLSRoute]?
    public var tcp: [TCPRoute]?
    public var exportTo: [String]?

    public init(hosts: [String]? = nil, gateways: [String]? = nil, http: [HTTPRoute]? = nil) {
        self.hosts = hosts
        self.gateways = gateways
        self.http = http
    }
}

/// One HTTP route: matches, and where matching requests go.
public struct HTTPRoute: Codable, Sendable, Hashable {
    public var name: String?
    public var match: [HTTPMatchRequest]?
    public var route: [RouteDestination]?
    public var redirect: HTTPRedirect?
    public var directResponse: HTTPDirectResponse?
    public var delegate: Value?
    public var rewrite: HTTPRewrite?
    public var timeout: String?
    public var retries: HTTPRetry?
    public var fault: HTTPFaultInjection?
    public var mirror: Destination?
    public var mirrors: [Value]?
    public var mirrorPercentage: Value?
    public var mirrorPercent: Int?
    public var mirror_percent: Int?
    public var corsPolicy: Value?
    public var headers: RouteHeaders?

    public init(name: String? = nil, match: [HTTPMatchRequest]? = nil, route: [RouteDestination]? = nil) {
        self.name = name
        self.match = match
        self.route = route
    }
}

/// The conditions of an HTTP route: all fields of one match must hold; any match of the list selects the route.
public struct HTTPMatchRequest: Codable, Sendable, Hashable {
    public var name: String?
    public var uri: StringMatch?
    public var scheme: StringMatch?
    public var method: StringMatch?
    public var authority: StringMatch?
    public var headers: [String: StringMatch]?
    public var withoutHeaders: [String: StringMatch]?
    public var port: Int?
    public var sourceLabels: [String: String]?
    public var gateways: [String]?
    public var queryParams: [String: StringMatch]?
    public var ignoreUriCase: Bool?
    public var sourceNamespace: String?
    public var statPrefix: String?

    public init(uri: StringMatch? = nil, method: StringMatch? = nil) {
        self.uri = uri
        self.method = method
    }
}

/// A TLS route: SNI matches and destinations.
public struct TLSRoute: Codable, Sendable, Hashable {
    public var match: [TLSMatchAttributes]?
    public var route: [RouteDestination]?

    public init(match: [TLSMatchAttributes]? = nil, route: [RouteDestination]? = nil) {
        self.match = match
        self.route = route
    }
}

/// The conditions of a TLS route.
public struct TLSMatchAttributes: Codable, Sendable, Hashable {
    public var sniHosts: [String]?
    public var destinationSubnets: [String]?
    public var port: Int?
    public var sourceLabels: [String: String]?
    public var gateways: [String]?
    public var sourceNamespace: String?

    public init(sniHosts: [String]? = nil, port: Int? = nil) {
        self.sniHosts = sniHosts
        self.port = port
    }
}

/// A TCP route: L4 matches and destinations.
public struct TCPRoute: Codable, Sendable, Hashable {
    public var match: [L4MatchAttributes]?
    public var route: [RouteDestination]?
}

/// The conditions of a TCP route.
public struct L4MatchAttributes: Codable, Sendable, Hashable {
    public var destinationSubnets: [String]?
    public var port: Int?
    public var sourceSubnet: String?
    public var sourceLabels: [String: String]?
    public var gateways: [String]?
    public var sourceNamespace: String?
}

import MeshCore

/// Where a route sends traffic: a service host, optionally a subset and a port.
public struct Destination: Codable, Sendable, Hashable {
    public var host: String?
    public var subset: String?
    public var port: PortSelector?

    public init(host: String? = nil, subset: String? = nil, port: Int? = nil) {
        self.host = host
        self.subset = subset
        self.port = port.map { PortSelector(number: $0) }
    }
}

/// A port chosen by number.
public struct PortSelector: Codable, Sendable, Hashable {
    public var number: Int?

    public init(number: Int? = nil) {
        self.number = number
    }
}

/// A weighted destination of an HTTP, TCP or TLS route.
public struct RouteDestination: Codable, Sendable, Hashable {
    public var destination: Destination?
    public var weight: Int?
    /// Header manipulation for this destination (HTTP routes only).
    public var headers: RouteHeaders?

    public init(destination: Destination? = nil, weight: Int? = nil) {
        self.destination = destination
        self.weight = weight
    }
}

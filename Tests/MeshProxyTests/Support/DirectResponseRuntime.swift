import NIOEmbedded
@testable import MeshProxy

extension ProxyRuntime {
    /// A runtime with one HTTP listener whose only route answers 200 with `body` itself (no upstream), for
    /// handler tests on `EmbeddedChannel`s.
    static func answering(_ body: String, on loop: EmbeddedEventLoop) throws -> ProxyRuntime {
        var config = ProxyConfig()
        config.routes = RouteTable(virtualHosts: [
            VirtualHost(name: "vs", domains: ["*"], routes: [HTTPRouteRule(action: .directResponse(status: 200, body: body))])
        ])
        config.listeners = [ListenerConfig(name: "main", address: HostPort(host: "127.0.0.1", port: 0), protocol: .http)]
        return try ProxyRuntime(config: config, group: loop)
    }
}

extension ProxyRuntime {
    /// A runtime with one HTTP listener whose only route holds every request (a minute's fault delay before a
    /// cluster that is never reached): requests stay in flight for handler tests on `EmbeddedChannel`s.
    static func holding(on loop: EmbeddedEventLoop) throws -> ProxyRuntime {
        var config = ProxyConfig()
        config.clusters = ["held": ClusterConfig(name: "held", endpoints: [EndpointConfig(address: HostPort(host: "127.0.0.1", port: 1))])]
        config.routes = RouteTable(virtualHosts: [
            VirtualHost(
                name: "vs", domains: ["*"],
                routes: [
                    HTTPRouteRule(
                        action: .route([.init(cluster: "held", weight: 1)]), fault: FaultInjection(delay: (.seconds(60), 100)))
                ])
        ])
        config.listeners = [ListenerConfig(name: "main", address: HostPort(host: "127.0.0.1", port: 0), protocol: .http)]
        return try ProxyRuntime(config: config, group: loop)
    }
}

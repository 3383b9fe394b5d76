/// The `proxy run` flags that describe one listener and one upstream without a bootstrap
/// (`--listen`, `--upstream`, `--protocol`, TLS flags).
public struct ProxyShorthand: Sendable {
    /// Where to listen.
    public var listen: HostPort
    /// Where to forward.
    public var upstream: HostPort
    /// HTTP (default) or TCP.
    public var `protocol`: ListenerConfig.ListenerProtocol
    /// TLS termination on the listener.
    public var tls: ServerTLSConfig?
    /// TLS origination to the upstream.
    public var upstreamTLS: UpstreamTLSConfig?

    public init(
        listen: HostPort, upstream: HostPort, protocol: ListenerConfig.ListenerProtocol = .http,
        tls: ServerTLSConfig? = nil, upstreamTLS: UpstreamTLSConfig? = nil
    ) {
        self.listen = listen
        self.upstream = upstream
        self.protocol = `protocol`
        self.tls = tls
        self.upstreamTLS = upstreamTLS
    }

    /// The name of the cluster the shorthand upstream becomes; Istio resources may name it as a host.
    public static let clusterName = "upstream"
}

import MeshPolicy

/// What a gateway listener serves: the Istio `Gateway` resources behind it and the hosts their servers expose.
public struct GatewayBinding: Sendable {
    /// The Gateways (`namespace/name`) whose servers use this port; VirtualServices bind to these names.
    public var gateways: Set<String>
    /// The hosts the servers expose, each with the namespace whose VirtualServices may serve it.
    public var hosts: [ServerHost]

    public init(gateways: Set<String>, hosts: [ServerHost]) {
        self.gateways = gateways
        self.hosts = hosts
    }

    /// What `hosts` of a route in `namespace` serve here: their intersections with the server hosts that
    /// namespace may use (a route for `*` behind a server for `shop.example.com` serves `shop.example.com`).
    /// Hosts under `httpsRedirect` only redirect, so no route serves them.
    func narrow(_ hosts: [String], namespace: String) -> [String] {
        var result: [String] = []
        for server in self.hosts where !server.httpsRedirect && (server.namespace == nil || server.namespace == namespace) {
            for host in hosts {
                if let both = HostIntersection.intersect(host, server.host), !result.contains(both) { result.append(both) }
            }
        }
        return result
    }
}

/// One entry of a Gateway server's `hosts`: `ns/host`, `*/host`, `./host` or a bare `host`.
public struct ServerHost: Sendable, Hashable {
    /// The namespace whose VirtualServices may bind to the host; `nil` for any namespace.
    public var namespace: String?
    /// The host name, lowercased; `*.example.com` and `*` are wildcards.
    public var host: String
    /// Whether plain HTTP to this host gets a 301 to HTTPS (`tls.httpsRedirect`).
    public var httpsRedirect: Bool

    public init(namespace: String?, host: String, httpsRedirect: Bool = false) {
        self.namespace = namespace
        self.host = host
        self.httpsRedirect = httpsRedirect
    }

    /// Parses a server host as written in the Gateway of `gatewayNamespace`.
    public init(parsing text: String, gatewayNamespace: String, httpsRedirect: Bool = false) {
        let lowered = text.lowercased()
        if let slash = lowered.firstIndex(of: "/") {
            let namespace = String(lowered[..<slash])
            self.namespace = namespace == "*" ? nil : namespace == "." ? gatewayNamespace : namespace
            self.host = String(lowered[lowered.index(after: slash)...])
        } else {
            self.namespace = nil
            self.host = lowered
        }
        self.httpsRedirect = httpsRedirect
    }
}

/// Settings of the gateway role from the bootstrap: where Gateway servers listen and the certificates that
/// `credentialName` refers to.
public struct GatewaySettings: Sendable {
    /// The address gateway listeners bind to.
    public var bindHost: String = "0.0.0.0"
    /// Server port number → the port actually bound (as a gateway Service maps 80 to 8080); unmapped ports bind
    /// their own number.
    public var portMap: [Int: Int] = [:]
    /// `credentialName` → certificate files (what a Kubernetes TLS secret holds).
    public var credentials: [String: ServerTLSConfig] = [:]
    /// Istio's `gatewayTopology.numTrustedProxies` (Envoy's `xff_num_trusted_hops` on gateway listeners): how
    /// many proxies in front of the gateway append to `x-forwarded-for` and are trusted to.
    public var numTrustedProxies = 0

    public init() {}
}

/// A VirtualService `tcp` route: connections to a gateway TCP server go to its cluster.
public struct TCPRoute: Sendable {
    /// Where it came from (`VirtualService default/db`).
    public var name: String
    /// The gateways of its VirtualService.
    public var gateways: Set<String>
    /// The server ports it matches (`match[].port`); empty matches any.
    public var ports: [Int]
    /// The destination cluster.
    public var cluster: String
}

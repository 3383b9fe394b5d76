import MeshPolicy
import MeshCore
import Testing
@testable import MeshProxy

/// Istio Gateway resources on a proxy of role gateway: listeners per server port, host binding of
/// VirtualServices, and the errors of unusable servers.
@Suite("Gateway config")
struct GatewayConfigTests {
    static let bootstrap = """
        apiVersion: meshctl.dev/v1alpha1
        kind: ProxyBootstrap
        metadata: {name: ingress}
        spec:
          role: gateway
          workload: {namespace: istio-system, labels: {istio: ingressgateway}}
          gateway:
            bind: 127.0.0.1
            ports: {"80": 8080, "443": 8443}
            credentials:
            - {name: shop-cert, certificate: /certs/shop.crt, key: /certs/shop.key}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: shop, namespace: shop}
        spec:
          hosts: [shop-api.shop.svc.cluster.local, shop-web.shop.svc.cluster.local]
          ports: [{number: 8080, name: http, protocol: HTTP}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1}]
        """

    static func load(_ yaml: String) throws -> ProxyConfig {
        try ConfigLoader.load(documents: YAML.parseDocuments(bootstrap + "\n---\n" + yaml))
    }

    @Test("each server port becomes a listener on the mapped port; servers on one port share it")
    func listeners() throws {
        let config = try Self.load("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: shop, namespace: shop}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - {port: {number: 80, name: http, protocol: HTTP}, hosts: [./shop.example.com]}
              - {port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*/shop.example.com"], tls: {mode: SIMPLE, credentialName: shop-cert}}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: blog, namespace: blog}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - {port: {number: 80, name: http, protocol: HTTP}, hosts: [blog/blog.example.com]}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: other, namespace: shop}
            spec:
              selector: {istio: egressgateway}
              servers:
              - {port: {number: 9000, name: http, protocol: HTTP}, hosts: ["*"]}
            """)
        #expect(config.listeners.map(\.name) == ["gateway-80", "gateway-443"])
        let http = config.listeners[0]
        #expect(http.address == HostPort(host: "127.0.0.1", port: 8080))
        #expect(http.targetPort == 80)
        #expect(http.gateway?.gateways == ["shop/shop", "blog/blog"])
        #expect(http.gateway?.hosts == [
            ServerHost(namespace: "shop", host: "shop.example.com"), ServerHost(namespace: "blog", host: "blog.example.com"),
        ])
        let https = config.listeners[1]
        #expect(https.address.port == 8443)
        #expect(https.tls == ServerTLSConfig(certificateFile: "/certs/shop.crt", keyFile: "/certs/shop.key"))
        #expect(https.gateway?.hosts == [ServerHost(namespace: nil, host: "shop.example.com")])
    }

    @Test("VirtualServices bind to their gateways only, narrowed to the server hosts their namespace may use")
    func routeBinding() throws {
        let config = try Self.load("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: shop, namespace: shop}
            spec:
              servers:
              - {port: {number: 80, name: http, protocol: HTTP}, hosts: [./shop.example.com, "*/*.blog.example.com"]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: everything, namespace: shop}
            spec:
              hosts: ["*"]
              gateways: [shop]
              http: [{route: [{destination: {host: shop-web}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: elsewhere, namespace: other}
            spec:
              hosts: [shop.example.com, news.blog.example.com]
              gateways: [shop/shop]
              http: [{route: [{destination: {host: shop-web.shop.svc.cluster.local}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: mesh-only, namespace: shop}
            spec:
              hosts: [shop-api]
              http: [{route: [{destination: {host: shop-api}}]}]
            """)
        let routes = config.routes.routes(for: config.listeners[0])
        #expect(routes.virtualHosts.map(\.name) == ["VirtualService shop/everything", "VirtualService other/elsewhere"])
        #expect(routes.virtualHosts[0].domains == ["shop.example.com", "*.blog.example.com"])
        // `./shop.example.com` admits only the Gateway's own namespace; `*/` admits any.
        #expect(routes.virtualHosts[1].domains == ["news.blog.example.com"])
        let sidecar = ListenerConfig(name: "inbound", address: HostPort(host: "127.0.0.1", port: 0), protocol: .http)
        #expect(config.routes.routes(for: sidecar).virtualHosts.map(\.name) == ["VirtualService shop/mesh-only"])
    }

    static let passthrough = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: shop, namespace: shop}
        spec:
          servers:
          - {port: {number: 443, name: tls, protocol: TLS}, hosts: ["./*.example.com"], tls: {mode: PASSTHROUGH}}
          - {port: {number: 443, name: https, protocol: HTTPS}, hosts: [blog/blog.example.com], tls: {mode: PASSTHROUGH}}
        """

    @Test("PASSTHROUGH servers become one TCP listener routed by SNI: tls routes of its Gateway and port, narrowed to its hosts")
    func passthroughRoutes() throws {
        let config = try Self.load(Self.passthrough + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: shop}
            spec: {hosts: ["*"], gateways: [shop], tls: [
              {match: [{sniHosts: [api.example.com], port: 443}, {sniHosts: [news.other.com]}],
               route: [{destination: {host: shop-api}, weight: 90}, {destination: {host: shop-web}, weight: 10}]},
              {match: [{sniHosts: ["*"]}], route: [{destination: {host: shop-web}}]},
              {match: [{sniHosts: [other.example.com], port: 8443}], route: [{destination: {host: shop-api}}]}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: blog, namespace: blog}
            spec: {hosts: ["*.example.com"], gateways: [shop/shop], tls: [
              {match: [{sniHosts: ["*.example.com"]}], route: [{destination: {host: shop-web.shop.svc.cluster.local}}]}]}
            """)
        #expect(config.listeners.map(\.name) == ["gateway-443"])
        let listener = config.listeners[0]
        #expect(listener.protocol == .tcp && listener.tls == nil && listener.defaultCluster == nil)
        let table = try #require(listener.sniRoutes)
        // No server exposes news.other.com, the port 8443 match doesn't apply, and the blog route keeps only
        // blog.example.com (the server for *.example.com admits only the Gateway's own namespace).
        #expect(table.entries.map(\.hosts) == [["api.example.com"], ["*.example.com"], ["blog.example.com"]])
        #expect(table.entries[0].destinations.map(\.weight) == [90, 10])
        #expect(table.entry(for: "api.example.com")?.name == "VirtualService shop/shop")
        #expect(table.entry(for: "blog.example.com")?.name == "VirtualService blog/blog", "an exact name beats a wildcard")
        #expect(table.entry(for: "web.example.com")?.hosts == ["*.example.com"])
        #expect(table.entry(for: "example.com") == nil)
    }

    @Test(
        "unusable tls routes fail naming the VirtualService and field",
        arguments: [
            ("tls: [{route: [{destination: {host: shop-web}}]}]", "VirtualService shop/vs: spec.tls[0].match: a tls route needs"),
            ("tls: [{match: [{port: 443}], route: [{destination: {host: shop-web}}]}]", "VirtualService shop/vs: spec.tls[0].match[0].sniHosts: required"),
            ("tls: [{match: [{sniHosts: [a.example.com, b.other.com]}], route: [{destination: {host: shop-web}}]}]",
             "VirtualService shop/vs: spec.tls[0].match[0].sniHosts[1]: b.other.com is not within the VirtualService's hosts"),
            ("tls: [{match: [{sniHosts: [a.example.com]}]}]", "VirtualService shop/vs: spec.tls[0].route: at least one destination"),
            ("tls: [{match: [{sniHosts: [a.example.com]}], route: [{destination: {host: nowhere}}]}]",
             "VirtualService shop/vs: spec.tls[0].route[0].destination.host: nowhere names no ServiceEntry"),
        ])
    func invalidTLSRoutes(_ routes: String, _ expected: String) throws {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: shop}\nspec:\n  hosts: [\"*.example.com\"]\n  gateways: [shop]\n  \(routes)"
        do {
            _ = try Self.load(Self.passthrough + "\n---\n" + yaml)
            Issue.record("accepted: \(routes)")
        } catch let error as ProxyError {
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.exitCode == .dataError)
        }
    }

    @Test("host intersection keeps the more specific name, wildcards included")
    func hostIntersection() {
        #expect(HostIntersection.intersect("*", "shop.example.com") == "shop.example.com")
        #expect(HostIntersection.intersect("*.example.com", "shop.example.com") == "shop.example.com")
        #expect(HostIntersection.intersect("*.example.com", "*.shop.example.com") == "*.shop.example.com")
        #expect(HostIntersection.intersect("shop.example.com", "blog.example.com") == nil)
        #expect(HostIntersection.intersect("*.example.com", "example.com") == nil)
    }

    @Test(
        "unusable servers fail naming the Gateway and field",
        arguments: [
            ("servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.com]}]", "Gateway shop/g: spec.servers[0].tls"),
            ("servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: [a.com], tls: {mode: PASSTHROUGH}}]",
             "Gateway shop/g: the TLS PASSTHROUGH server on port 443 has no VirtualService tls route bound to its hosts"),
            ("servers: [{port: {number: 443, name: tcp, protocol: TCP}, hosts: [a.com], tls: {mode: PASSTHROUGH}}]",
             "Gateway shop/g: spec.servers[0].port.protocol: tls.mode PASSTHROUGH needs protocol TLS, got TCP"),
            ("servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: [a.com], tls: {mode: AUTO_PASSTHROUGH}}]",
             "Gateway shop/g: spec.servers[0].tls.mode: AUTO_PASSTHROUGH"),
            ("servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.com], tls: {credentialName: nope}}]",
             "Gateway shop/g: spec.servers[0].tls.credentialName: no credential nope"),
            ("servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.com]}, {port: {number: 80, name: tcp, protocol: TCP}, hosts: [a.com]}]",
             "Gateway shop/g: spec.servers[1].port: port 80 is already served by Gateway shop/g"),
            ("servers: [{port: {number: 80, name: x, protocol: UDP}, hosts: [a.com]}]", "Gateway shop/g: spec.servers[0].port.protocol"),
            ("servers: [{port: {number: eighty, name: http, protocol: HTTP}, hosts: [a.com]}]",
             "Gateway shop/g: spec.servers[0].port.number: expected an integer"),
            ("servers: [{port: {number: 80, name: http, protocol: HTTP}}]", "Gateway shop/g: spec.servers[0].hosts"),
            ("servers: [{port: {number: 5432, name: tcp, protocol: TCP}, hosts: [a.com]}]",
             "Gateway shop/g: the TCP server on port 5432 has no VirtualService tcp route"),
            ("selector: {istio: egressgateway}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.com]}]",
             "no listener: no Gateway selects this gateway workload"),
        ])
    func invalid(_ spec: String, _ expected: String) throws {
        let yaml = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: shop}\nspec:\n  \(spec)"
        do {
            _ = try Self.load(yaml)
            Issue.record("accepted: \(spec)")
        } catch let error as ProxyError {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}

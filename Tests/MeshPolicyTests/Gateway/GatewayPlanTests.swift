import MeshCore
import MeshPolicy
import Testing

/// `gateway create`'s objects: the defaults an Istio user expects, and refusals that name the problem.
@Suite struct GatewayPlanTests {
    typealias Request = GatewayPlan.Request

    static func plan(_ hosts: [String] = ["shop.example.com"], port: Int? = nil, secret: String? = nil, mode: GatewayPlan.TLSMode? = nil, routes: [String] = []) throws -> GatewayPlan {
        try GatewayPlan(Request(name: "shop", namespace: "web", hosts: hosts, port: port, tlsSecret: secret, tlsMode: mode,
                                routes: routes.map { try GatewayRoute.parse($0) }))
    }

    @Test func plainHTTPListensOn80WithTheDefaultSelector() throws {
        let plan = try Self.plan(routes: ["web:80"])
        let server = try #require(plan.gateway.spec.servers?.first)
        #expect(server.port == PortSpec(number: 80, protocol: "HTTP", name: "http-80"))
        #expect(server.tls == nil)
        #expect(plan.gateway.spec.selector == ["istio": "ingressgateway"])
        #expect(plan.gateway.metadata.labels == ["app.kubernetes.io/managed-by": "meshctl"])
        let vs = try #require(plan.virtualService)
        #expect(vs.spec.gateways == ["shop"])
        #expect(vs.spec.hosts == ["shop.example.com"])
        #expect(vs.spec.http?.first?.match?.first?.uri == StringMatch(prefix: "/"))
        #expect(vs.spec.http?.first?.route?.first?.destination == Destination(host: "web", port: 80))
        #expect(GatewayOwnership.isRoute(vs.metadata.labels, of: "shop"))
        #expect(!GatewayOwnership.isRoute(vs.metadata.labels, of: "other"))
    }

    @Test func aSecretMakesAnHTTPSServerOn443() throws {
        let server = try #require(try Self.plan(secret: "shop-cert").gateway.spec.servers?.first)
        #expect(server.port == PortSpec(number: 443, protocol: "HTTPS", name: "https-443"))
        #expect(server.tls == ServerTLSSettings(mode: "SIMPLE", credentialName: "shop-cert"))
        let mutual = try #require(try Self.plan(port: 8443, secret: "c", mode: .mutual).gateway.spec.servers?.first)
        #expect(mutual.port?.name == "https-8443")
        #expect(mutual.tls?.mode == "MUTUAL")
    }

    @Test func passthroughIsATLSServerRoutedBySNI() throws {
        let plan = try Self.plan(["db.example.com", "db2.example.com"], mode: .passthrough, routes: ["db:5432"])
        let server = try #require(plan.gateway.spec.servers?.first)
        #expect(server.port == PortSpec(number: 443, protocol: "TLS", name: "tls-443"))
        #expect(server.tls == ServerTLSSettings(mode: "PASSTHROUGH"))
        let vs = try #require(plan.virtualService)
        #expect(vs.spec.http == nil)
        #expect(vs.spec.tls?.first?.match?.first?.sniHosts == ["db.example.com", "db2.example.com"])
        #expect(vs.spec.tls?.first?.match?.first?.port == 443)
        #expect(vs.spec.tls?.first?.route?.first?.destination == Destination(host: "db", port: 5432))
    }

    @Test func longerPrefixesAreTriedFirst() throws {
        let plan = try Self.plan(routes: ["/=web:80", "/api=api:8080", "/api/v2=api2:8080", "/img=img:80"])
        let prefixes = plan.virtualService?.spec.http?.compactMap { $0.match?.first?.uri?.prefix }
        #expect(prefixes == ["/api/v2", "/api", "/img", "/"])
    }

    @Test func noRoutesMeansNoVirtualService() throws {
        let plan = try Self.plan()
        #expect(plan.virtualService == nil)
        #expect(plan.resources.count == 1)
    }

    @Test(arguments: [
        ("api:8080", "/", "api", 8080),
        ("/api=api.shop.svc.cluster.local:9090", "/api", "api.shop.svc.cluster.local", 9090),
    ])
    func routesParse(text: String, path: String, service: String, port: Int) throws {
        #expect(try GatewayRoute.parse(text) == GatewayRoute(pathPrefix: path, service: service, port: port))
    }

    @Test(arguments: [
        ("api=api:80", "the path must start with /"),
        ("/api=api", "expected PATH=SERVICE:PORT"),
        ("/api=:80", "expected PATH=SERVICE:PORT"),
        ("/api=api:http", "the port must be a number from 1 to 65535"),
        ("/api=api:0", "the port must be a number from 1 to 65535"),
    ])
    func badRoutesAreRefused(text: String, problem: String) {
        #expect { try GatewayRoute.parse(text) } throws: { ($0 as? PolicyError)?.message.contains(problem) == true }
    }

    @Test func inconsistentChoicesAreRefused() {
        func refusal(_ make: () throws -> GatewayPlan) -> String {
            do { _ = try make(); return "" } catch { return (error as? PolicyError)?.message ?? "\(error)" }
        }
        #expect(refusal { try Self.plan([]) } == "at least one host is required")
        #expect(refusal { try Self.plan(mode: .simple) }.contains("needs the certificate's secret (--tls-secret)"))
        #expect(refusal { try Self.plan(secret: "x", mode: .passthrough) }.contains("the gateway uses no secret"))
        #expect(refusal { try Self.plan(mode: .passthrough, routes: ["/api=db:1"]) }.contains("routes by SNI host, not by path"))
        #expect(refusal { try Self.plan(mode: .passthrough, routes: ["a:1", "b:2"]) }.contains("give one route"))
        #expect(refusal { try Self.plan(["reviews"]) } == "the Gateway would be invalid: spec.servers[0].hosts[0]: short names (non FQDN) are not allowed")
        #expect(refusal { try Self.plan(port: 70000) }.hasPrefix("the Gateway would be invalid: spec.servers[0].port.number"))
    }
}

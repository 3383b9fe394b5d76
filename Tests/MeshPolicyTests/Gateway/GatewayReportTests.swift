import MeshCore
import MeshPolicy
import Testing

/// What `gateway list` and `describe` show, from a snapshot: routes in words, bindings, pods and problems.
@Suite struct GatewayReportTests {
    static let yaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [shop.example.com, "*.api.example.com", "./ops.example.com"]
            tls: {mode: SIMPLE, credentialName: edge-cert}
          - port: {number: 15443, name: tls, protocol: TLS}
            hosts: [db.example.com]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop, namespace: web}
        spec:
          hosts: [shop.example.com, v1.api.example.com]
          gateways: [istio-system/edge]
          http:
          - match: [{uri: {exact: /login}}, {uri: {regex: "/u/[0-9]+"}}]
            route: [{destination: {host: auth, port: {number: 8080}}}]
          - match: [{uri: {prefix: /old}}]
            redirect: {uri: /new}
          - route:
            - {destination: {host: web, subset: v1}, weight: 90}
            - {destination: {host: web, subset: v2}, weight: 10}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: db, namespace: data}
        spec:
          hosts: [db.example.com, stray.example.org]
          gateways: [istio-system/edge]
          tls: [{match: [{sniHosts: [db.example.com], port: 15443}], route: [{destination: {host: db, port: {number: 5432}}}]}]
          tcp: [{route: [{destination: {host: legacy}}]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: elsewhere, namespace: web}
        spec: {hosts: [shop.example.com], gateways: [other-gateway], http: [{route: [{destination: {host: x}}]}]}
        """

    static func report(pods: String? = nil, secrets: Bool = false) throws -> GatewayReport {
        var documents = try YAML.parseDocuments(yaml)
        if let pods { documents += try YAML.parseDocuments(pods) }
        if secrets { documents += try YAML.parseDocuments("apiVersion: v1\nkind: Secret\nmetadata: {name: edge-cert, namespace: gw}") }
        let snapshot = MeshSnapshot(documents: documents, defaultNamespace: "default", complete: false)
        return GatewayReport(try #require(snapshot.gateway(namespace: "istio-system", name: "edge")), in: snapshot)
    }

    @Test func serversBindingsAndRoutesInWords() throws {
        let report = try Self.report()
        #expect(report.servers.map(\.portText) == ["443/HTTPS", "15443/TLS"])
        #expect(report.servers.map(\.tlsText) == ["SIMPLE (edge-cert)", "PASSTHROUGH"])
        #expect(report.bindings.map { "\($0.namespace)/\($0.name)" } == ["data/db", "web/shop"])
        #expect(report.bindings[0].routes == ["sni db.example.com → db:5432", "tcp → legacy"])
        #expect(report.bindings[1].routes == ["=/login | ~/u/[0-9]+ → auth:8080", "/old → redirect", "* → web (v1) 90%, web (v2) 10%"])
        #expect(report.pods == nil, "no pods in the documents: unknown, not none")
    }

    @Test func problemsNameWhatIsMissing() throws {
        let report = try Self.report(pods: "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: gw, labels: {istio: egressgateway}}", secrets: true)
        #expect(report.pods == [])
        #expect(report.problems == [
            "[IST0101] Referenced selector not found: \"istio=ingressgateway\"",
            "[IST0101] Referenced credentialName not found: \"edge-cert\"",
            "VirtualService data/db binds host stray.example.org, which no server of the gateway has",
            "host ops.example.com is bound by no VirtualService: requests for it find no route (404)",
        ], "*.api.example.com is bound through v1.api.example.com")
    }

    @Test func aServedGatewayWithItsSecretHasNoWorkloadProblems() throws {
        let report = try Self.report(pods: "apiVersion: v1\nkind: Pod\nmetadata: {name: ingress-1, namespace: gw, labels: {istio: ingressgateway}}", secrets: true)
        #expect(report.pods?.map(\.name) == ["ingress-1"])
        #expect(!report.problems.contains { $0.hasPrefix("[IST0101]") })
        #expect(report.value["pods"] == ["gw/ingress-1"])
        #expect(report.value["servers"]?[0]?["tls"]?["credentialName"] == "edge-cert")
    }
}

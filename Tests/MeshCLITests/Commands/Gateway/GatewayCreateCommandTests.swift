import Foundation
import MeshCore
import MeshKube
import MeshPolicy
import Testing

/// `meshctl gateway create`: dry runs offline, refusals with exit 64 and nothing written, and writes to a real
/// API server (the local control plane).
@Suite struct GatewayCreateCommandTests {
    @Test func dryRunPrintsBothObjectsAndTouchesNoCluster() async throws {
        let result = await InProcess.run([
            "gateway", "create", "shop", "-n", "web", "--host", "shop.example.com", "--tls-secret", "shop-cert",
            "--route", "/=frontend:80", "--route", "/api=api:8080", "--dry-run", "--context", "down",
        ])
        #expect(result.code == .ok, "\(result.standardError)")
        let documents = try YAML.parseDocuments(result.standardOutput)
        #expect(documents.map { $0["kind"] } == ["Gateway", "VirtualService"])
        #expect(documents[0]["spec"]?["servers"]?[0]?["tls"] == ["mode": "SIMPLE", "credentialName": "shop-cert"])
        #expect(documents[0]["spec"]?["servers"]?[0]?["port"]?["name"] == "https-443")
        #expect(documents[1]["metadata"]?["labels"]?["gateway.meshctl.io/name"] == "shop")
        #expect(documents[1]["spec"]?["http"]?[0]?["match"]?[0]?["uri"]?["prefix"] == "/api")
        let json = await InProcess.run(["gateway", "create", "shop", "--host", "a.example.com", "--route", "web:80", "--dry-run", "-o", "json"])
        #expect(try JSON.parse(json.standardOutput)["items"]?.arrayValue?.count == 2)
    }

    @Test(arguments: [
        (["gateway", "create", "x", "--route", "web:80"], "at least one host is required"),
        (["gateway", "create", "x", "--host", "a.example.com", "--route", "api=web:80"], "route \"api=web:80\": the path must start with /"),
        (["gateway", "create", "x", "--host", "a.example.com", "--tls-mode", "MUTUAL"], "needs the certificate's secret (--tls-secret)"),
        (["gateway", "create", "x", "--host", "a.example.com", "--tls-mode", "PASSTHROUGH", "--route", "/a=db:1"], "routes by SNI host, not by path"),
        (["gateway", "create", "x", "--host", "a.example.com", "--selector", "istio"], "--selector must be key=value"),
        (["gateway", "create", "x", "--host", "reviews"], "the Gateway would be invalid: spec.servers[0].hosts[0]"),
        (["gateway", "create", "x", "--host", "a.example.com", "--tls-mode", "AUTO"], "--tls-mode"),
        (["gateway", "create", "--host", "a.example.com"], "NAME"),
    ])
    func badInputIsAUsageErrorAndWritesNothing(arguments: [String], problem: String) async {
        // `--context down` points at a closed port: a write attempt would fail with exit 1, not 64.
        let result = await InProcess.run(arguments + ["--context", "down"])
        #expect(result.code == .usage, "\(result.standardError)")
        #expect(result.standardError.contains(problem), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test(.enabled(if: LocalPlane.hasIstioCRDs, "the Istio CRDs are needed"))
    func createsTheGatewayAndItsRoutesOnTheCluster() async throws {
        let local = try LocalPlane()
        try local.createNamespaces("web")
        let result = await local.run(["gateway", "create", "shop", "-n", "web", "--host", "shop.example.com", "--route", "/=frontend:80"])
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(result.standardOutput == "gateway.networking.istio.io/shop created\nvirtualservice.networking.istio.io/shop created\n")
        #expect(result.standardError == "Warning: [IST0101] Referenced selector not found: \"istio=ingressgateway\"\n", "no ingress gateway pod on this cluster")
        let gateway = try local.client.get(IstioAPIForTests.gateways, name: "shop", namespace: "web")
        #expect(gateway["spec"]?["servers"]?[0]?["port"]?["number"] == 80)
        let vs = try local.client.get(IstioAPIForTests.virtualServices, name: "shop", namespace: "web")
        #expect(vs["metadata"]?["labels"]?["app.kubernetes.io/managed-by"] == "meshctl")

        let printed = await local.run(["gateway", "create", "db", "-n", "web", "--host", "db.example.com", "--tls-mode", "PASSTHROUGH", "--route", "db:5432", "-o", "yaml"])
        #expect(printed.code == .ok, "\(printed.standardError)")
        let documents = try YAML.parseDocuments(printed.standardOutput)
        #expect(documents.map { $0["kind"] } == ["Gateway", "VirtualService"])
        #expect(documents[0]["metadata"]?["resourceVersion"] != nil, "the objects as the server stored them")
        #expect(documents[1]["spec"]?["tls"]?[0]?["match"]?[0]?["sniHosts"] == ["db.example.com"])

        let again = await local.run(["gateway", "create", "shop", "-n", "web", "--host", "shop.example.com"])
        #expect(again.code == .failure)
        #expect(again.standardError.contains("already exists"), "\(again.standardError)")
    }

    @Test(.enabled(if: LocalPlane.hasIstioCRDs, "the Istio CRDs are needed"))
    func aRouteThatCannotBeWrittenTakesItsGatewayAway() async throws {
        let local = try LocalPlane()
        try local.createNamespaces("web")
        _ = try local.client.create(IstioAPIForTests.virtualServices, [
            "apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": ["name": "shop", "namespace": "web"],
            "spec": ["hosts": ["other.example.com"], "http": [["route": [["destination": ["host": "other"]]]]]],
        ], namespace: "web")
        let result = await local.run(["gateway", "create", "shop", "-n", "web", "--host", "shop.example.com", "--route", "web:80"])
        #expect(result.code == .failure)
        #expect(result.standardError.contains("already exists"), "\(result.standardError)")
        #expect(throws: KubeError.self) { try local.client.get(IstioAPIForTests.gateways, name: "shop", namespace: "web") }
    }
}

/// The Istio resources the CLI tests seed and read.
enum IstioAPIForTests {
    static func resource(_ kind: ResourceKind) -> APIResource {
        APIResource(group: kind.group, version: "v1", name: kind.plural, kind: kind.rawValue, namespaced: true)
    }

    static let gateways = resource(.gateway)
    static let virtualServices = resource(.virtualService)
}

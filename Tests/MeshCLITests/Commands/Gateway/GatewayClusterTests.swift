import Foundation
import MeshCore
import MeshKube
import Testing

/// `gateway list`, `describe` and `delete` against the local control plane: gateways made by `gateway create`,
/// an ingress gateway pod, a certificate secret and a VirtualService meshctl did not write.
@Suite(.serialized, .enabled(if: LocalPlane.hasIstioCRDs, "the Istio CRDs are needed"))
struct GatewayClusterTests {
    let local: LocalPlane

    init() async throws {
        local = try LocalPlane()
        try local.createNamespaces("web", "istio-system")
        let client = local.client
        _ = try client.create(.pods, [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "ingress-1", "namespace": "istio-system", "labels": ["istio": "ingressgateway"]],
            "spec": ["containers": [["name": "istio-proxy", "image": "proxyv2"]]],
        ], namespace: "istio-system")
        _ = try client.create(.secrets, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "shop-cert"], "type": "kubernetes.io/tls"], namespace: "istio-system")
        for (arguments, warnings) in [
            (["shop", "--host", "shop.example.com", "--tls-secret", "shop-cert", "--route", "/=frontend:80", "--route", "/api=api:8080"], ""),
            (["lonely", "--host", "lonely.example.com", "--selector", "istio=nothing"],
             "Warning: [IST0101] Referenced selector not found: \"istio=nothing\"\nWarning: host lonely.example.com is bound by no VirtualService: requests for it find no route (404)\n"),
            (["nosecret", "--host", "n.example.com", "--tls-secret", "missing", "--route", "n:80"],
             "Warning: [IST0101] Referenced credentialName not found: \"missing\"\n"),
        ] {
            let result = await local.run(["gateway", "create", "-n", "web"] + arguments)
            #expect(result.code == .ok, "\(result.standardError)")
            #expect(result.standardError == warnings)
        }
        _ = try client.create(IstioAPIForTests.virtualServices, [
            "apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": ["name": "extra", "namespace": "web"],
            "spec": ["hosts": ["other.example.com"], "gateways": ["web/shop"], "http": [["route": [["destination": ["host": "other"]]]]]],
        ], namespace: "web")
    }

    @Test func listShowsHostsPortsTLSRoutesAndPods() async throws {
        let result = await local.run(["gateway", "list", "-n", "web"])
        #expect(result.code == .ok, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAMESPACE") == true)
        let shop = try #require(lines.first { $0.contains(" shop ") })
        for part in ["shop.example.com", "443/HTTPS", "SIMPLE (shop-cert)", "* → other; /api → api:8080; / → frontend:80", " 1"] {
            #expect(shop.contains(part), "\(shop) lacks \(part)")
        }
        let lonely = try #require(lines.first { $0.contains(" lonely ") })
        #expect(lonely.contains("80/HTTP") && lonely.hasSuffix("none"), "\(lonely)")

        let json = await local.run(["gateway", "list", "-A", "-o", "json"])
        let items = try #require(try JSON.parse(json.standardOutput)["items"]?.arrayValue)
        #expect(items.map { $0["name"] } == ["lonely", "nosecret", "shop"])
        #expect(items[2]["pods"] == ["istio-system/ingress-1"])
        #expect(items[2]["virtualServices"]?.arrayValue?.count == 2)

        let empty = await local.run(["gateway", "list", "-n", "nowhere"])
        #expect(empty.code == .ok && empty.standardOutput.isEmpty)
        #expect(empty.standardError.contains("No Gateways found in nowhere."))
    }

    @Test func describeNamesTheProblems() async throws {
        let shop = await local.run(["gateway", "describe", "shop", "-n", "web"])
        #expect(shop.code == .ok, "\(shop.standardError)")
        #expect(shop.standardOutput.contains("Pods:       istio-system/ingress-1"))
        #expect(shop.standardOutput.contains("  443/HTTPS (https-443)  hosts: shop.example.com  TLS: SIMPLE (shop-cert)"))
        #expect(shop.standardOutput.contains("  web/shop  hosts: shop.example.com\n    /api → api:8080\n    / → frontend:80\n"))
        #expect(shop.standardOutput.contains("VirtualService web/extra binds host other.example.com, which no server of the gateway has"))

        let lonely = await local.run(["gateway", "describe", "lonely", "-n", "web", "-o", "json"])
        let problems = try JSON.parse(lonely.standardOutput)["problems"]
        #expect(problems == [
            "[IST0101] Referenced selector not found: \"istio=nothing\"",
            "host lonely.example.com is bound by no VirtualService: requests for it find no route (404)",
        ])
        let nosecret = await local.run(["gateway", "describe", "nosecret", "-n", "web"])
        #expect(nosecret.standardOutput.contains("[IST0101] Referenced credentialName not found: \"missing\""), "\(nosecret.standardOutput)")

        let missing = await local.run(["gateway", "describe", "nope", "-n", "web"])
        #expect(missing.code == .failure)
        #expect(missing.standardError.contains("gateway \"nope\" not found in namespace web"))
    }

    @Test func deleteRemovesOnlyTheRoutesMeshctlCreated() async throws {
        let result = await local.run(["gateway", "delete", "shop", "-n", "web"])
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(result.standardOutput == "virtualservice.networking.istio.io/shop deleted\ngateway.networking.istio.io/shop deleted\n")
        #expect(result.standardError.contains("VirtualService web/extra is bound to the gateway but was not created by meshctl"))
        #expect(throws: KubeError.self) { try local.client.get(IstioAPIForTests.gateways, name: "shop", namespace: "web") }
        #expect(throws: KubeError.self) { try local.client.get(IstioAPIForTests.virtualServices, name: "shop", namespace: "web") }
        #expect(try local.client.get(IstioAPIForTests.virtualServices, name: "extra", namespace: "web")["metadata"]?["name"] == "extra")
        #expect(try local.client.get(IstioAPIForTests.virtualServices, name: "nosecret", namespace: "web")["metadata"]?["name"] == "nosecret")

        let again = await local.run(["gateway", "delete", "shop", "-n", "web"])
        #expect(again.code == .failure)
        #expect(again.standardError.contains("gateway \"shop\" not found in namespace web"))
        #expect(again.standardOutput.isEmpty)
    }
}

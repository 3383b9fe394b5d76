import Foundation
import MeshControlPlane
import MeshCore
import MeshKube
import MeshTestSupport
import Testing

@testable import MeshCLI

/// `describe node` and `describe pod` against a seeded local control plane with a gateway, meshed and
/// unmeshed pods and Istio policy objects.
@Suite(.serialized) struct DescribeCommandTests {
    let local: LocalPlane
    let node: String

    init() throws {
        local = try LocalPlane(bookmarkInterval: 1)
        node = KubeObject(try local.client.list(.nodes).items[0]).name
        try seed(local.client)
    }

    func seed(_ client: KubeClient) throws {
        let pod: (String, String, Value, [Value]) -> Value = { name, namespace, labels, containers in
            ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels],
             "spec": ["nodeName": .string(node), "containers": .array(containers)], "status": ["phase": "Running"]]
        }
        let proxy: Value = ["name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.24.0",
                            "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]]]
        _ = try client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]])
        _ = try client.create(.pods, pod("reviews-v1", "shop", ["app": "reviews", "version": "v1"],
                                         [["name": "reviews", "image": "reviews:1", "resources": ["requests": ["cpu": "200m", "memory": "256Mi"]]], proxy]), namespace: "shop")
        _ = try client.create(.pods, pod("legacy", "shop", ["app": "legacy"], [["name": "legacy", "image": "legacy:1"]]), namespace: "shop")
        _ = try client.create(.pods, pod("ingress-1", "istio-system", ["app": "istio-ingressgateway", "istio": "ingressgateway"],
                                         [["name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.24.0", "args": ["proxy", "router"]]]), namespace: "istio-system")
        _ = try client.create(.services, ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "reviews"],
                                          "spec": ["selector": ["app": "reviews"], "ports": [["name": "http", "port": 9080]]]], namespace: "shop")
        func create(_ group: String, _ plural: String, _ kind: String, _ namespace: String, _ body: Value) throws {
            let resource = APIResource(group: group, version: "v1", name: plural, kind: kind, namespaced: true)
            var object = body
            object["apiVersion"] = .string("\(group)/v1")
            object["kind"] = .string(kind)
            _ = try client.create(resource, object, namespace: namespace)
        }
        guard (try? client.get(APIResource(group: "apiextensions.k8s.io", version: "v1", name: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false),
                               name: "virtualservices.networking.istio.io")) != nil else { return }
        try create("networking.istio.io", "virtualservices", "VirtualService", "shop",
                   ["metadata": ["name": "reviews"], "spec": ["hosts": ["reviews"], "gateways": ["istio-system/main", "mesh"],
                                                            "http": [["route": [["destination": ["host": "reviews", "subset": "v1"]]]]]]])
        try create("networking.istio.io", "destinationrules", "DestinationRule", "shop",
                   ["metadata": ["name": "reviews"], "spec": ["host": "reviews.shop.svc.cluster.local", "subsets": [["name": "v1", "labels": ["version": "v1"]]]]])
        try create("security.istio.io", "peerauthentications", "PeerAuthentication", "istio-system",
                   ["metadata": ["name": "default"], "spec": ["mtls": ["mode": "STRICT"]]])
        try create("security.istio.io", "authorizationpolicies", "AuthorizationPolicy", "shop",
                   ["metadata": ["name": "reviews-viewer"], "spec": ["selector": ["matchLabels": ["app": "reviews"]], "action": "ALLOW"]])
    }

    func run(_ arguments: [String]) async -> InProcess.Result {
        await local.run(arguments)
    }

    @Test func describeNodeClassifiesThePodsOnIt() async throws {
        let result = await run(["describe", "node", node, "-o", "json"])
        #expect(result.code == .ok, "\(result.standardError)")
        let value = try JSON.parse(result.standardOutput)
        #expect(value["mesh"]?["controlPlane"] == 1)
        #expect(value["mesh"]?["gateways"] == 1)
        #expect(value["mesh"]?["meshed"] == 1)
        #expect(value["mesh"]?["unmeshed"] == 1)
        #expect(value["mesh"]?["requests"]?["sidecars"]?["cpu"] == "100m")
        let reviews = value["pods"]?.arrayValue?.first { $0["name"] == "reviews-v1" }
        #expect(reviews?["sidecar"]?["version"] == "1.24.0")
        #expect(reviews?["sidecar"]?["mode"] == "classic")
    }

    @Test func describeNodeByIPPrintsATable() async throws {
        let ip = try #require(local.plane.store.get("/nodes", namespace: "", name: node)?.value["status"]?["addresses"]?[0]?["address"]?.stringValue)
        let result = await run(["describe", "node", ip])
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(result.standardOutput.contains("Name:           \(node)"))
        #expect(result.standardOutput.contains("1 control plane, 1 gateway, 1 meshed, 1 unmeshed"))
        #expect(await run(["describe", "node", "no-such-node"]).code == .failure)
    }

    @Test func describePodShowsServicesRoutesAndPolicies() async throws {
        let result = await run(["describe", "pod", "reviews-v1.shop", "-o", "json"])
        #expect(result.code == .ok, "\(result.standardError)")
        let value = try JSON.parse(result.standardOutput)
        #expect(value["services"]?[0]?["name"] == "reviews.shop")
        #expect(value["services"]?[0]?["ports"]?[0]?["port"] == 9080)
        if ControlPlaneOptions.defaultIstioCRDFile() != nil {
            #expect(value["virtualServices"]?[0]?["name"] == "reviews.shop")
            #expect(value["destinationRules"]?[0]?["subsets"] == ["v1"])
            #expect(value["mtls"]?["mode"] == "STRICT")
            #expect(value["authorizationPolicies"]?[0]?["name"] == "reviews-viewer.shop")
            #expect(value["exposedThroughGateways"] == ["istio-system/main"])
        }
        let legacy = await run(["describe", "pod", "pod/legacy", "-n", "shop"])
        #expect(legacy.standardOutput.contains("Sidecar: none"))
    }
}

import Foundation
import MeshCore
import MeshKube
import Testing

/// meshctl's own Kubernetes client against the local API server: every verb, selectors, pagination, conflicts.
@Suite(.serialized) struct APIServerVerbTests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster()
        client = try cluster.client()
    }

    func configMap(_ name: String, labels: Value = [:], data: Value = ["k": "v"]) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": labels], "data": data]
    }

    @Test func discoveryListsCoreAppsAndCRDGroups() throws {
        try TestCRDs.ensureVirtualService(client)
        let resources = try client.apiResources()
        let names = Set(resources.map(\.qualifiedName))
        for expected in ["pods", "nodes", "namespaces", "secrets", "deployments.apps", "customresourcedefinitions.apiextensions.k8s.io",
                         "virtualservices.networking.istio.io"] {
            #expect(names.contains(expected), "missing \(expected)")
        }
        #expect(try client.serverVersion().gitVersion.hasPrefix("v1."))
    }

    @Test func createGetUpdateAndConflict() throws {
        let created = try client.create(.configMaps, configMap("app"), namespace: "default")
        let version = try #require(created["metadata"]?["resourceVersion"]?.stringValue)
        #expect(created["metadata"]?["uid"]?.stringValue?.isEmpty == false)
        #expect(throws: KubeError.self) { try client.create(.configMaps, configMap("app"), namespace: "default") }
        do { _ = try client.create(.configMaps, configMap("app"), namespace: "default") } catch { #expect(error.isConflict) }

        var changed = created
        changed["data"] = ["k": "v2"]
        let updated = try client.replace(.configMaps, changed, namespace: "default")
        let newVersion = try #require(updated["metadata"]?["resourceVersion"]?.stringValue)
        #expect(Int(newVersion)! > Int(version)!)
        // The stale version is refused with 409.
        do {
            _ = try client.replace(.configMaps, changed, namespace: "default")
            Issue.record("a stale update succeeded")
        } catch { #expect(error.isConflict && error.reason == "Conflict") }
        #expect(try client.get(.configMaps, name: "app", namespace: "default")["data"]?["k"] == "v2")
    }

    @Test func listWithLabelAndFieldSelectorsAndPages() throws {
        for index in 0..<7 {
            _ = try client.create(.configMaps, configMap("item-\(index)", labels: ["tier": index % 2 == 0 ? "even" : "odd"]), namespace: "default")
        }
        let even = try client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "tier=even"))
        #expect(even.items.count == 4)
        let notIn = try client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "tier notin (even),tier"))
        #expect(notIn.items.count == 3)
        let named = try client.list(.configMaps, namespace: "default", options: ListOptions(fieldSelector: "metadata.name=item-3"))
        #expect(named.items.map { KubeObject($0).name } == ["item-3"])
        let paged = try client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "tier", pageSize: 2))
        #expect(paged.items.count == 7)
        #expect(paged.pages == 4)
        #expect(Set(paged.items.map { KubeObject($0).name }).count == 7)
        // A malformed selector is a 400.
        do {
            _ = try client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "tier in (a"))
            Issue.record("a malformed selector was accepted")
        } catch { #expect(error.httpStatus == 400) }
    }

    @Test func podsBySpecNodeNameAndPhase() throws {
        let node = try #require(try client.list(.nodes).items.first.map { KubeObject($0).name })
        let pods = try client.list(.pods, options: ListOptions(fieldSelector: "spec.nodeName=\(node),status.phase=Running", allNamespaces: true))
        #expect(pods.items.count == 1)
        #expect(try client.list(.pods, options: ListOptions(fieldSelector: "spec.nodeName=elsewhere", allNamespaces: true)).items.isEmpty)
    }

    @Test(arguments: PatchType.allCases) func patchTypes(_ type: PatchType) throws {
        let name = "patched-" + String(type.rawValue.split(separator: "/").last!.prefix { $0.isLetter })
        let body: Value
        switch type {
        case .json: body = [["op": "replace", "path": "/data/k", "value": "patched"]]
        case .apply: body = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["k": "patched"]]
        default: body = ["data": ["k": "patched"]]
        }
        if type != .apply { _ = try client.create(.configMaps, configMap(name), namespace: "default") }
        var query: [(String, String)] = []
        if type == .apply { query.append(("fieldManager", "tests")) }
        let path = APIResource.configMaps.path(namespace: "default", name: name)
        let result = try client.sendValue("PATCH", path: path, query: query, body: body, contentType: type.rawValue)
        #expect(result["data"]?["k"] == "patched")
    }

    @Test func strategicMergeKeepsOtherContainers() throws {
        let deployment: Value = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "template": [
                "metadata": ["labels": ["app": "web"]],
                "spec": ["containers": [["name": "web", "image": "nginx:1"], ["name": "sidecar", "image": "proxy:1"]]]]],
        ]
        _ = try client.create(.deployments, deployment, namespace: "default")
        let patch: Value = ["spec": ["template": ["spec": ["containers": [["name": "web", "image": "nginx:2"]]]]]]
        let result = try client.sendValue("PATCH", path: APIResource.deployments.path(namespace: "default", name: "web"),
                                          body: patch, contentType: PatchType.strategic.rawValue)
        let containers = result["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
        #expect(containers.map { $0["image"]?.stringValue ?? "" } == ["nginx:2", "proxy:1"])
        #expect(result["metadata"]?["generation"] == 2)
    }

    @Test func statusSubresourceChangesOnlyStatus() throws {
        _ = try client.create(.deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "st"],
            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "st"]],
                     "template": ["metadata": ["labels": ["app": "st"]], "spec": ["containers": [["name": "c", "image": "i"]]]]],
        ], namespace: "default")
        var object = try client.get(.deployments, name: "st", namespace: "default")
        object["status"] = ["readyReplicas": 2]
        object["spec"]?["replicas"] = 5
        let updated = try client.replaceSubresource(.deployments, object, subresource: "status", namespace: "default")
        #expect(updated["status"]?["readyReplicas"] == 2)
        #expect(updated["spec"]?["replicas"] == 2)
        // And the main resource ignores status.
        var again = updated
        again["status"] = ["readyReplicas": 0]
        #expect(try client.replace(.deployments, again, namespace: "default")["status"]?["readyReplicas"] == 2)
    }

    @Test func deleteAndDeleteCollection() throws {
        _ = try client.create(.configMaps, configMap("gone"), namespace: "default")
        try client.delete(.configMaps, name: "gone", namespace: "default")
        do { _ = try client.get(.configMaps, name: "gone", namespace: "default"); Issue.record("still there") } catch { #expect(error.isNotFound) }
        for index in 0..<3 { _ = try client.create(.configMaps, configMap("batch-\(index)", labels: ["batch": "yes"]), namespace: "default") }
        _ = try client.send("DELETE", path: APIResource.configMaps.path(namespace: "default"), query: [("labelSelector", "batch=yes")])
        #expect(try client.list(.configMaps, namespace: "default", options: ListOptions(labelSelector: "batch")).items.isEmpty)
    }

    @Test func deletingANamespaceDeletesItsObjects() throws {
        _ = try client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "temp"]])
        _ = try client.create(.configMaps, configMap("inside"), namespace: "temp")
        try client.delete(.namespaces, name: "temp")
        #expect(try client.list(.configMaps, namespace: "temp").items.isEmpty)
        do { _ = try client.create(.configMaps, configMap("orphan"), namespace: "temp"); Issue.record("created in a missing namespace") } catch {
            #expect(error.isNotFound)
        }
    }

    @Test func customResourcesAreValidatedAgainstTheirSchema() throws {
        try TestCRDs.ensureVirtualService(client)
        let good: Value = ["apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": ["name": "reviews"],
                           "spec": ["hosts": ["reviews"], "unknownField": 1]]
        let created = try client.create(TestCRDs.virtualServices, good, namespace: "default")
        #expect(created["spec"]?["unknownField"] == nil)
        let bad: Value = ["apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": ["name": "bad"],
                          "spec": ["hosts": "not-a-list"]]
        do { _ = try client.create(TestCRDs.virtualServices, bad, namespace: "default"); Issue.record("invalid object accepted") } catch {
            #expect(error.httpStatus == 422)
        }
    }
}

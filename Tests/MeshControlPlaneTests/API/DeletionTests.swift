import Foundation
import MeshCore
import MeshKube
import Testing

/// Deletion over real HTTPS: finalizers keep a marked object until they are removed, and owner references take
/// dependents with their owner (Background), before it (Foreground), or not at all (Orphan).
@Suite(.serialized) struct DeletionTests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster()
        client = try cluster.client()
    }

    func configMap(_ name: String, finalizers: [String] = [], owners: [Value] = []) -> Value {
        var metadata: Value = ["name": .string(name)]
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map(Value.string)) }
        if !owners.isEmpty { metadata["ownerReferences"] = .array(owners) }
        return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": ["k": "v"]]
    }

    func exists(_ resource: APIResource, _ name: String) -> Bool {
        (try? client.get(resource, name: name, namespace: "default")) != nil
    }

    @Test func finalizersKeepAMarkedObjectUntilTheyAreRemoved() async throws {
        let created = try client.create(.configMaps, configMap("held", finalizers: ["example.com/hold"]), namespace: "default")
        let generation = created["metadata"]?["generation"]?.intValue ?? 0
        let marked = try client.delete(.configMaps, name: "held", namespace: "default")
        #expect(marked["metadata"]?["deletionTimestamp"]?.stringValue?.isEmpty == false)
        #expect(marked["metadata"]?["deletionGracePeriodSeconds"] == 0)
        #expect(marked["metadata"]?["generation"]?.intValue == generation + 1)
        let stored = try client.get(.configMaps, name: "held", namespace: "default")
        #expect(stored["metadata"]?["deletionTimestamp"] == marked["metadata"]?["deletionTimestamp"])

        // Deleting again changes nothing; other fields may change; no finalizer may be added.
        let again = try client.delete(.configMaps, name: "held", namespace: "default")
        #expect(again["metadata"]?["resourceVersion"] == stored["metadata"]?["resourceVersion"])
        _ = try client.patch(.configMaps, name: "held", namespace: "default", patch: ["data": ["k": "v2"]], type: .merge)
        do {
            _ = try client.patch(.configMaps, name: "held", namespace: "default",
                                 patch: ["metadata": ["finalizers": ["example.com/hold", "example.com/more"]]], type: .merge)
            Issue.record("a finalizer was added to an object being deleted")
        } catch { #expect(error.httpStatus == 422) }

        let watch = client.watch(.configMaps, namespace: "default", options: ListOptions(fieldSelector: "metadata.name=held"),
                                 resourceVersion: KubeObject(try client.get(.configMaps, name: "held", namespace: "default")).resourceVersion)
        let last = try client.patch(.configMaps, name: "held", namespace: "default", patch: ["metadata": ["finalizers": nil]], type: .merge)
        #expect(last["metadata"]?["finalizers"] == nil)
        #expect(!exists(.configMaps, "held"))
        let events = try await watch.collect(count: 1)
        #expect(events.map(\.type) == [.deleted])
        #expect(events.first?.object["data"]?["k"] == "v2")
    }

    @Test func deletingADeploymentTakesItsReplicaSetsAndPods() throws {
        let tree = try OwnedObjects.deploymentTree(client, "web")
        // A pod with a second, live owner stays, without the reference to the vanished ReplicaSet.
        let keeper = try client.create(.configMaps, configMap("keeper"), namespace: "default")
        var shared = tree.pods[0]
        shared["metadata"]?["ownerReferences"] = [OwnedObjects.reference(to: tree.replicaSet), OwnedObjects.reference(to: keeper)]
        shared["metadata"]?["name"] = "web-shared"
        shared["metadata"]?["resourceVersion"] = nil
        shared["metadata"]?["uid"] = nil
        _ = try client.create(.pods, shared, namespace: "default")

        _ = try client.delete(.deployments, name: "web", namespace: "default", propagationPolicy: .background)
        #expect(!exists(.deployments, "web"))
        #expect(!exists(OwnedObjects.replicaSets, "web-rs"))
        #expect(!exists(.pods, "web-pod-0") && !exists(.pods, "web-pod-1"))
        let survivor = try client.get(.pods, name: "web-shared", namespace: "default")
        #expect(survivor["metadata"]?["ownerReferences"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["keeper"])
    }

    @Test func orphanLeavesDependentsWithoutTheReference() throws {
        _ = try OwnedObjects.deploymentTree(client, "orphans")
        _ = try client.delete(OwnedObjects.replicaSets, name: "orphans-rs", namespace: "default", propagationPolicy: .orphan)
        #expect(!exists(OwnedObjects.replicaSets, "orphans-rs"))
        let pod = try client.get(.pods, name: "orphans-pod-0", namespace: "default")
        #expect(pod["metadata"]?["ownerReferences"] == nil)
        // The deployment lost a dependent, not itself.
        #expect(exists(.deployments, "orphans"))
    }

    @Test func foregroundWaitsForDependentsThatWaitForTheirFinalizers() throws {
        let owner = try client.create(.configMaps, configMap("owner"), namespace: "default")
        _ = try client.create(.configMaps, configMap("held-child", finalizers: ["example.com/hold"], owners: [OwnedObjects.reference(to: owner)]), namespace: "default")
        _ = try client.create(.configMaps, configMap("free-child", owners: [OwnedObjects.reference(to: owner)]), namespace: "default")

        let marked = try client.delete(.configMaps, name: "owner", namespace: "default", propagationPolicy: .foreground)
        #expect(marked["metadata"]?["finalizers"] == ["foregroundDeletion"])
        #expect(marked["metadata"]?["deletionTimestamp"] != nil)
        #expect(!exists(.configMaps, "free-child"))
        #expect(try client.get(.configMaps, name: "held-child", namespace: "default")["metadata"]?["deletionTimestamp"] != nil)
        #expect(exists(.configMaps, "owner"))

        _ = try client.patch(.configMaps, name: "held-child", namespace: "default", patch: ["metadata": ["finalizers": nil]], type: .merge)
        #expect(!exists(.configMaps, "held-child"))
        #expect(!exists(.configMaps, "owner"))
    }

    @Test func badDeleteOptionsAreRefused() throws {
        _ = try client.create(.configMaps, configMap("kept"), namespace: "default")
        let path = APIResource.configMaps.path(namespace: "default", name: "kept")
        func refusal(_ body: String?, query: [(String, String)] = []) -> (status: Int?, reason: String?) {
            do {
                _ = try client.send("DELETE", path: path, query: query, body: body.map { Data($0.utf8) }, contentType: "application/json")
                return (200, nil)
            } catch { return (error.httpStatus, error.reason) }
        }
        #expect(refusal(#"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Sideways"}"#) == (422, "Invalid"))
        #expect(refusal(nil, query: [("propagationPolicy", "Orphan"), ("orphanDependents", "true")]).status == 422)
        #expect(refusal(#"{"gracePeriodSeconds":-5}"#).status == 422)
        #expect(refusal("{not json").status == 400)
        #expect(refusal("[1]").status == 400)
        #expect(exists(.configMaps, "kept"))
    }
}

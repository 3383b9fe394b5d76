import MeshCore
import MeshKube

/// Objects linked by owner references, as Kubernetes controllers create them (no controller runs here).
enum OwnedObjects {
    static let replicaSets = APIResource(group: "apps", version: "v1", name: "replicasets", kind: "ReplicaSet", namespaced: true)

    /// An owner reference to `owner`, as a controller sets it.
    static func reference(to owner: Value) -> Value {
        ["apiVersion": owner["apiVersion"] ?? "", "kind": owner["kind"] ?? "", "name": owner["metadata"]?["name"] ?? "",
         "uid": owner["metadata"]?["uid"] ?? "", "controller": true, "blockOwnerDeletion": true]
    }

    /// A ReplicaSet `NAME-rs` owned by Deployment `name` (created unless it exists) and two Pods `NAME-pod-0|1`
    /// owned by the ReplicaSet, in `default`.
    static func deploymentTree(_ client: KubeClient, _ name: String) throws -> (deployment: Value, replicaSet: Value, pods: [Value]) {
        let template: Value = ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]
        let deployment = try (try? client.get(.deployments, name: name, namespace: "default")) ?? client.create(.deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": ["selector": ["matchLabels": ["app": .string(name)]], "template": template],
        ], namespace: "default")
        let replicaSet = try client.create(replicaSets, [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": .string("\(name)-rs"), "ownerReferences": [reference(to: deployment)]],
            "spec": ["selector": ["matchLabels": ["app": .string(name)]], "template": template],
        ], namespace: "default")
        let pods = try (0..<2).map { index in
            try client.create(.pods, [
                "apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": .string("\(name)-pod-\(index)"), "ownerReferences": [reference(to: replicaSet)]],
                "spec": template["spec"] ?? [:],
            ], namespace: "default")
        }
        return (deployment, replicaSet, pods)
    }
}

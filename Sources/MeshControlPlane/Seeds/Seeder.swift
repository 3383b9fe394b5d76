import Foundation
import MeshCore
import MeshManifest

/// What a fresh control plane starts with: namespaces, this machine's Node, the Istio CRDs, the mesh
/// ConfigMaps and a Pod for the control plane itself. Idempotent: existing objects are left alone.
struct Seeder {
    let api: APIServer
    let dataDirectory: String
    /// The Istio CRD file, when one is available (see `ControlPlaneOptions.istioCRDFile`).
    let crdFile: String?
    let log: @Sendable (String) -> Void

    static let namespaces = ["default", "kube-system", "kube-public", "kube-node-lease", "istio-system"]

    func run(meshNamespace: String = "istio-system") {
        for namespace in Self.namespaces {
            ensure("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)],
                                          "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]])
        }
        let facts = NodeFacts.current(dataDirectory: dataDirectory)
        ensure("/api/v1/nodes", facts.node(now: Timestamp.now()))
        ensure("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(facts.hostname)],
            "spec": ["holderIdentity": .string(facts.hostname), "leaseDurationSeconds": 40, "renewTime": .string(Timestamp.nowMicro())],
        ])
        seedCRDs()
        ensure("/api/v1/namespaces/\(meshNamespace)/configmaps", [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "istio", "labels": ["app": "istiod", "install.operator.istio.io/owning-resource": "meshctl-local"]],
            "data": ["mesh": .string(Self.meshConfig(meshNamespace)), "meshNetworks": "networks: {}\n"],
        ])
        // meshctl's built-in injection config, so `meshctl inject --from-cluster --context meshctl-local` works.
        ensure("/api/v1/namespaces/\(meshNamespace)/configmaps", [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "istio-sidecar-injector", "labels": ["app": "sidecar-injector", "istio.io/rev": "default"]],
            "data": ["config": .string(YAML.emit(BuiltinInjection.config)), "values": .string(JSON.emit(BuiltinInjection.values, indent: 2))],
        ])
        ensure("/api/v1/namespaces/\(meshNamespace)/serviceaccounts", [
            "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "istiod"],
        ])
        ensure("/api/v1/namespaces/\(meshNamespace)/pods", controlPlanePod(node: facts.hostname, ip: facts.internalIP))
        ensure("/api/v1/namespaces/\(meshNamespace)/services", [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "istiod", "labels": ["app": "istiod", "istio": "pilot"]],
            "spec": ["type": "ClusterIP", "clusterIP": "10.96.0.10", "selector": ["app": "istiod", "istio": "pilot"],
                     "ports": [["name": "https-dns", "port": 15012, "protocol": "TCP"], ["name": "https-webhook", "port": 443, "targetPort": 15017, "protocol": "TCP"]]],
        ])
    }

    private func ensure(_ collection: String, _ object: Value) {
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        let existing = api.handle(APIRequest(method: "GET", path: collection + "/" + name, user: ControlPlane.systemUser))
        guard existing.status == 404 else { return }
        let response = api.handle(APIRequest(method: "POST", path: collection, headers: ["content-type": "application/json"],
                                             body: Array(JSON.emit(object).utf8), user: ControlPlane.systemUser))
        if response.status >= 300 {
            log("seed \(collection)/\(name) failed: \(String(decoding: response.bytes, as: UTF8.self))")
        }
    }

    private func seedCRDs() {
        guard let crdFile else {
            log("no Istio CRD file found; Istio resources become available once their CRDs are applied")
            return
        }
        do {
            let documents = try YAML.parseDocuments(String(contentsOfFile: crdFile, encoding: .utf8))
            var count = 0
            for document in documents where document["kind"]?.stringValue == "CustomResourceDefinition" {
                ensure("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", document)
                count += 1
            }
            log("seeded \(count) CRDs from \(crdFile)")
        } catch {
            log("cannot read the Istio CRDs from \(crdFile): \(error)")
        }
    }

    private func controlPlanePod(node: String, ip: String) -> Value {
        let now = Timestamp.now()
        let version = BuildInfo.current.version
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string("meshctl-control-plane-\(node)"),
                         "labels": ["app": "istiod", "istio": "pilot", "istio.io/rev": "default", "meshctl.io/local": "true"]],
            "spec": [
                "nodeName": .string(node), "serviceAccountName": "istiod",
                "containers": [[
                    "name": "discovery", "image": .string("meshctl/control-plane:\(version)"),
                    "ports": [["containerPort": 15012, "protocol": "TCP"], ["containerPort": 6443, "protocol": "TCP"]],
                    "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]],
                ]],
            ],
            "status": [
                "phase": "Running", "hostIP": .string(ip), "podIP": .string(ip), "podIPs": [["ip": .string(ip)]], "startTime": .string(now),
                "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(now)],
                               ["type": "ContainersReady", "status": "True", "lastTransitionTime": .string(now)]],
                "containerStatuses": [[
                    "name": "discovery", "ready": true, "restartCount": 0, "started": true,
                    "image": .string("meshctl/control-plane:\(version)"), "imageID": "",
                    "state": ["running": ["startedAt": .string(now)]],
                ]],
            ],
        ]
    }

    /// The mesh config of the `istio` ConfigMap: the one meshctl's built-in injection uses.
    static func meshConfig(_ meshNamespace: String) -> String {
        YAML.emit(BuiltinInjection.mesh(meshNamespace: meshNamespace))
    }
}

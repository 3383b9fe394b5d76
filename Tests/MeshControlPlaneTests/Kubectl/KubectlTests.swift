import Foundation
import MeshCore
import MeshKube
import MeshTestSupport
import Testing

/// The real kubectl against the local API server, as users drive it.
@Suite(.serialized) struct KubectlTests {
    let cluster: LocalCluster

    init() throws {
        cluster = try LocalCluster(crds: true)
        try TestCRDs.ensureVirtualService(try cluster.client())
    }

    @discardableResult
    func kubectl(_ arguments: String..., input: String? = nil) throws -> String {
        let result = try cluster.kubectl(arguments, input: input)
        #expect(result.status == 0, "kubectl \(arguments.joined(separator: " ")): \(result.standardError)")
        return result.standardOutput
    }

    @Test func getNodesAndPodsInAllNamespaces() throws {
        let nodes = try kubectl("get", "nodes")
        #expect(nodes.hasPrefix("NAME"))
        #expect(nodes.contains("Ready"))
        let pods = try kubectl("get", "pods", "-A")
        #expect(pods.contains("istio-system"))
        #expect(pods.contains("Running"))
        let wide = try kubectl("get", "nodes", "-o", "wide")
        #expect(wide.contains("INTERNAL-IP"))
    }

    /// A Deployment manifest with one nginx container.
    static func deployment(_ name: String, replicas: Int, image: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name)}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec:
              containers:
              - {name: web, image: "nginx:\(image)"}
        """
    }

    @Test func applyCreatesThenChangesADeploymentAndAVirtualService() throws {
        #expect(try kubectl("apply", "-f", "-", input: Self.deployment("web", replicas: 1, image: "1.25")).contains("created"))
        #expect(try kubectl("apply", "-f", "-", input: Self.deployment("web", replicas: 3, image: "1.26")).contains("configured"))
        #expect(try kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}") == "3 nginx:1.26")

        let virtualService = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: SUBSET}
            """
        #expect(try kubectl("apply", "-f", "-", input: virtualService.replacingOccurrences(of: "SUBSET", with: "v1")).contains("created"))
        #expect(try kubectl("apply", "-f", "-", input: virtualService.replacingOccurrences(of: "SUBSET", with: "v2")).contains("configured"))
        let listed = try kubectl("get", "vs")
        #expect(listed.contains("reviews"))
        #expect(try kubectl("get", "vs", "reviews", "-o", "jsonpath={.spec.http[0].route[0].destination.subset}") == "v2")
        #expect(try kubectl("delete", "vs", "reviews").contains("deleted"))
        #expect(try cluster.kubectl(["get", "vs", "reviews"]).status != 0)
    }

    @Test func typedCreateCommandsSendProtobuf() throws {
        try kubectl("create", "namespace", "demo")
        try kubectl("-n", "demo", "create", "secret", "generic", "creds", "--from-literal=user=admin", "--from-literal=password=s3cr=t")
        try kubectl("-n", "demo", "create", "configmap", "settings", "--from-literal=mode=strict")
        let pki = try TestPKI.shared.get()
        try kubectl("-n", "istio-system", "create", "secret", "tls", "gateway-cert", "--cert=\(pki.serverCert.path)", "--key=\(pki.serverKey.path)")
        let client = try cluster.client()
        let secret = try client.get(.secrets, name: "creds", namespace: "demo")
        #expect(secret["type"] == "Opaque")
        #expect(secret["data"]?["password"] == .string(Data("s3cr=t".utf8).base64EncodedString()))
        let tls = try client.get(.secrets, name: "gateway-cert", namespace: "istio-system")
        #expect(tls["type"] == "kubernetes.io/tls")
        #expect(tls["data"]?["tls.crt"]?.stringValue?.isEmpty == false)
        #expect(try client.get(.configMaps, name: "settings", namespace: "demo")["data"]?["mode"] == "strict")
        // A new namespace gets the mesh root certificate.
        #expect(try client.get(.configMaps, name: "istio-ca-root-cert", namespace: "demo")["data"]?["root-cert.pem"] != nil)
    }

    /// Runs `kubectl get … -w` in the background while `during` makes changes; returns what it printed.
    func watching(_ arguments: [String], during changes: () throws -> Void) throws -> String {
        guard let path = Kubectl.path else { throw TestTools.Failure(description: "kubectl missing") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--kubeconfig", cluster.kubeconfig, "get"] + arguments + ["-w", "--request-timeout=20s"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        Thread.sleep(forTimeInterval: 1.5)
        try changes()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test func watchSeesAnEvent() throws {
        let text = try watching(["configmaps"]) {
            try kubectl("create", "configmap", "watched", "--from-literal=a=b")
        }
        #expect(text.contains("watched"))
    }

    @Test func labelSelectorWatchSeesObjectsEnterAndLeave() throws {
        try kubectl("create", "configmap", "relabelled", "--from-literal=a=b")
        let text = try watching(["configmaps", "-l", "tier=fe", "--output-watch-events", "--no-headers"]) {
            try kubectl("label", "configmap", "relabelled", "tier=fe")
            try kubectl("label", "configmap", "relabelled", "tier=db", "--overwrite")
        }
        let events = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(2).map(String.init) }
        #expect(events == [["ADDED", "relabelled"], ["DELETED", "relabelled"]], "\(text)")
    }

    @Test func deletingADeploymentRemovesItsReplicaSetsAndPods() throws {
        try kubectl("create", "deployment", "shop", "--image=nginx")
        _ = try OwnedObjects.deploymentTree(try cluster.client(), "shop")
        #expect(try kubectl("get", "replicasets,pods", "-o", "name").contains("pod/shop-pod-1"))
        #expect(try kubectl("delete", "deployment", "shop").contains("deleted"))
        let left = try kubectl("get", "deployments,replicasets,pods", "-o", "name")
        #expect(!left.contains("shop"), "\(left)")
    }

    @Test func serverSideApplyRecordsManagersAndRefusesConflicts() throws {
        func config(_ replicas: Int) -> String { Self.deployment("ssa", replicas: replicas, image: "1.25") }
        #expect(try kubectl("apply", "--server-side", "-f", "-", input: config(1)).contains("serverside-applied"))
        let object = try JSON.parse(try kubectl("get", "deployment", "ssa", "-o", "json", "--show-managed-fields"))
        let entry = try #require(object["metadata"]?["managedFields"]?[0])
        #expect(entry["manager"] == "kubectl" && entry["operation"] == "Apply" && entry["fieldsType"] == "FieldsV1")
        #expect(entry["fieldsV1"]?["f:spec"]?["f:template"]?["f:spec"]?["f:containers"]?[#"k:{"name":"web"}"#]?["f:image"] == [:])

        let refused = try cluster.kubectl(["apply", "--server-side", "--field-manager=ci", "-f", "-"], input: config(3))
        #expect(refused.status != 0)
        #expect(refused.standardError.contains(#"conflict with "kubectl": .spec.replicas"#), "\(refused.standardError)")
        try kubectl("apply", "--server-side", "--field-manager=ci", "--force-conflicts", "-f", "-", input: config(3))
        #expect(try kubectl("get", "deployment", "ssa", "-o", "jsonpath={.spec.replicas}") == "3")
    }

    @Test func aFinalizerHoldsADeletedObjectUntilKubectlRemovesIt() throws {
        try kubectl("apply", "-f", "-", input: """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: guarded, finalizers: [example.com/guard]}
            data: {a: b}
            """)
        #expect(try kubectl("delete", "configmap", "guarded", "--dry-run=server").contains("server dry run"))
        #expect(try kubectl("get", "configmap", "guarded", "-o", "jsonpath={.metadata.deletionTimestamp}").isEmpty)
        #expect(try kubectl("delete", "configmap", "guarded", "--wait=false").contains("deleted"))
        #expect(try kubectl("get", "configmap", "guarded", "-o", "jsonpath={.metadata.deletionTimestamp}").hasSuffix("Z"))
        try kubectl("patch", "configmap", "guarded", "--type=merge", "-p", #"{"metadata":{"finalizers":null}}"#)
        let gone = try cluster.kubectl(["get", "configmap", "guarded"])
        #expect(gone.status != 0 && gone.standardError.contains("NotFound"))
    }

    @Test func describeNode() throws {
        let text = try kubectl("describe", "node")
        #expect(text.contains("Conditions:"))
        #expect(text.contains("KubeletReady"))
        #expect(text.contains("meshctl-control-plane"))
    }
}

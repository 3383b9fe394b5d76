import Foundation
import MeshCore
import MeshPKI
import NIOConcurrencyHelpers

/// The mesh CA of local mode, as istiod runs it: a self-signed root kept in secret `istio-ca-secret`, replaced by
/// a plugged-in `cacerts` secret when one is created or updated, and the root published as ConfigMap
/// `istio-ca-root-cert` in every namespace.
///
/// A `cacerts` secret is validated with MeshPKI exactly as `meshctl pki plug-ca` validates it. An invalid one is
/// ignored with the reason logged and reported by `local status` (`rejected`), and the CA in use stays as it was —
/// what istiod does when a reloaded bundle does not load. Deleting `cacerts` returns to the self-signed root.
/// Validation is asynchronous (swift-certificates verifies chains with async policies), so the switch lands
/// shortly after the write; when writes race, the latest secret wins.
final class MeshCAController: @unchecked Sendable {
    private let api: APIServer
    private let meshNamespace: String
    private let statusFile: String?
    private let log: @Sendable (String) -> Void
    private let lock = NIOLock()
    /// Held while ConfigMaps are written, so a slower publisher can never put back an older root.
    private let publishLock = NIOLock()
    private var signer: SigningCA?
    private var rootPEM = ""
    private var state: MeshCAStatus?
    private var generation = 0

    init(api: APIServer, meshNamespace: String, statusFile: String?, log: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.meshNamespace = meshNamespace
        self.statusFile = statusFile
        self.log = log
    }

    /// Creates the self-signed CA when there is none and starts using it; with a `cacerts` secret present, the
    /// plugged CA is validated and used instead (nothing is published until that is decided).
    func start() {
        ensureSelfSigned()
        if secret(MeshCASecrets.pluggedName) == nil {
            useSelfSigned(generation: lock.withLock { generation }, rejected: nil)
        } else {
            scheduleReconcile()
        }
    }

    /// Reacts to writes: the CA secrets change the signing CA, new namespaces get the root ConfigMap.
    func afterWrite(_ type: ResourceType, _ object: StoredObject?, _ previous: StoredObject?) {
        guard type.group.isEmpty else { return }
        let changed = object ?? previous
        if type.name == "secrets", changed?.namespace == meshNamespace,
           [MeshCASecrets.pluggedName, MeshCASecrets.selfSignedName].contains(changed?.name ?? "") {
            scheduleReconcile()
        } else if type.name == "namespaces", let object, previous == nil {
            publishLock.withLock { publish(to: object.name, root: lock.withLock { rootPEM }) }
        }
    }

    /// The CA signing now; nil until the first decision is made.
    var current: (signer: SigningCA, status: MeshCAStatus)? {
        lock.withLock { signer.flatMap { signer in state.map { (signer, $0) } } }
    }

    private func scheduleReconcile() {
        let generation = lock.withLock {
            self.generation += 1
            return self.generation
        }
        Task { await self.reconcile(generation: generation) }
    }

    /// Decides which CA signs from the secrets as they are now.
    private func reconcile(generation: Int) async {
        guard let plugged = secret(MeshCASecrets.pluggedName) else {
            ensureSelfSigned()
            useSelfSigned(generation: generation, rejected: nil)
            return
        }
        let reason: String
        do {
            let bundle = try MeshCASecrets.pluggedBundle(plugged, namespace: meshNamespace)
            let ca = try await SigningCA.load(bundle, now: Date())
            let status = MeshCAStatus(
                source: .plugged, secret: MeshCASecrets.pluggedName, rootFingerprint: Self.fingerprint(ca),
                signingCertificate: CertificateNames.display(ca.certificate.subject))
            if apply(ca, root: MeshCASecrets.rootText(bundle), status: status, generation: generation) {
                log("mesh CA: signing with the plugged-in CA of secret \(meshNamespace)/cacerts (root SHA-256 \(status.rootFingerprint))")
            }
            return
        } catch {
            reason = error.description
        }
        log("mesh CA: secret \(meshNamespace)/cacerts rejected, the CA in use is unchanged: \(reason)")
        let kept: Bool = lock.withLock {
            guard generation == self.generation, signer != nil, var status = state else { return false }
            status.rejected = reason
            state = status
            writeStatus(status)
            return true
        }
        if !kept { useSelfSigned(generation: generation, rejected: reason) }
    }

    private func useSelfSigned(generation: Int, rejected: String?) {
        guard let own = secret(MeshCASecrets.selfSignedName) else { return }
        do {
            let (ca, root) = try MeshCASecrets.selfSignedCA(own, namespace: meshNamespace, now: Date())
            let status = MeshCAStatus(
                source: .selfSigned, secret: MeshCASecrets.selfSignedName, rootFingerprint: Self.fingerprint(ca),
                signingCertificate: CertificateNames.display(ca.certificate.subject), rejected: rejected)
            _ = apply(ca, root: root, status: status, generation: generation)
        } catch {
            log("mesh CA: cannot use secret \(meshNamespace)/istio-ca-secret: \(error)")
        }
    }

    /// Makes `ca` the signing CA unless a newer reconcile started meanwhile. The root is published first, so
    /// once the status says a CA is in use, every namespace's `istio-ca-root-cert` already holds its root.
    private func apply(_ ca: SigningCA, root: String, status: MeshCAStatus, generation: Int) -> Bool {
        let isCurrent = { self.lock.withLock { generation == self.generation } }
        guard isCurrent() else { return false }
        publishLock.withLock {
            guard isCurrent() else { return }  // the newer decision publishes its own root
            lock.withLock { rootPEM = root }
            for namespace in api.store.list("/namespaces").items.map(\.name) { publish(to: namespace, root: root) }
        }
        return lock.withLock {
            guard generation == self.generation else { return false }
            signer = ca
            if state != status {
                state = status
                writeStatus(status)
            }
            return true
        }
    }

    private func ensureSelfSigned() {
        guard secret(MeshCASecrets.selfSignedName) == nil else { return }
        do {
            let ca = try CAGenerator().makeRoot(MeshCASecrets.selfSignedProfile)
            _ = request("POST", "/api/v1/namespaces/\(meshNamespace)/secrets", try MeshCASecrets.selfSignedSecret(ca))
        } catch {
            log("mesh CA: cannot create the self-signed root: \(error)")
        }
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

    /// Called with the lock held, so writes of the file never overlap.
    private func writeStatus(_ status: MeshCAStatus) {
        guard let statusFile else { return }
        do {
            try AtomicFile.write(Array(JSON.emit(status.value).utf8), to: statusFile)
        } catch {
            log("mesh CA: cannot write \(statusFile): \(error)")
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

    private static func fingerprint(_ ca: SigningCA) -> String {
        ca.roots.first.map(CertificateSummary.sha256Fingerprint(of:)) ?? ""
    }
}

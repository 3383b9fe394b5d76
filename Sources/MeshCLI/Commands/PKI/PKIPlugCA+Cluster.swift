import Foundation
import MeshCore
import MeshKube
import MeshPKI
import X509

extension PKIPlugCA {
    /// What happened in the cluster.
    struct Outcome {
        /// `created`, `replaced` or `unchanged`.
        var action: String
        /// The deployment restarted, when --restart was given.
        var restarted: String?
    }

    /// Creates or replaces `cacerts` (refusing a root change unless allowed), then restarts istiod when asked.
    static func apply(_ bundle: CABundle, options: Options, invocation: Invocation, context: CommandContext) async throws -> Outcome {
        let client = try PKICluster.client(invocation, context)
        let existing = try fetchSecret(client, namespace: options.namespace)
        let action: String
        if let existing {
            let data = existing.secretData
            if holdsSameData(data, as: bundle) {
                action = "unchanged"
            } else {
                try checkRootChange(current: currentRoots(data), bundle: bundle, options: options)
                if let type = existing.value["type"]?.stringValue, type != "Opaque" {
                    throw PKIError(
                        .badMaterial,
                        "secret \(options.namespace)/\(secretName) has type \(type), but istiod's cacerts is Opaque; delete it first (kubectl delete secret \(secretName) -n \(options.namespace))")
                }
                let replacement = secret(
                    for: bundle, namespace: options.namespace, redactKeys: false, resourceVersion: existing.resourceVersion)
                _ = try client.replace(.secrets, replacement, namespace: options.namespace)
                action = "replaced"
            }
        } else {
            _ = try client.create(.secrets, secret(for: bundle, namespace: options.namespace, redactKeys: false), namespace: options.namespace)
            action = "created"
        }
        if options.restart {
            try await restartIstiod(client, namespace: options.namespace, timeout: options.timeout, context: context)
        }
        return Outcome(action: action, restarted: options.restart ? "istiod" : nil)
    }

    /// The current `cacerts` secret, or nil when there is none.
    static func fetchSecret(_ client: KubeClient, namespace: String) throws -> KubeObject? {
        do {
            return KubeObject(try client.get(.secrets, name: secretName, namespace: namespace))
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// Throws unless the new roots overlap the mesh's current ones, or the user allowed the change.
    static func checkRootChange(current: [Certificate], bundle: CABundle, options: Options) throws {
        guard !current.isEmpty, !options.allowRootChange else { return }
        let rootFile = bundle.layout == .istio ? "root-cert.pem" : "ca.crt"
        let newRoots = (try? bundle.files[rootFile]?.certificates()) ?? []
        guard RootChange(current: current, new: newRoots) == .different else { return }
        throw PKIError(
            .badMaterial,
            "the mesh's current root \(describe(current)) differs from the new bundle's root \(describe(newRoots)); refusing to replace secret \(options.namespace)/\(secretName).\n\(RootChange.rotationAdvice)")
    }

    /// Roots as `"O=…, CN=…" (SHA-256 AB:CD:…)`.
    static func describe(_ roots: [Certificate]) -> String {
        var parts: [String] = []
        for root in roots {
            let fingerprint = String(CertificateSummary(root, now: Date()).sha256Fingerprint.prefix(23))
            parts.append("\(CertificateNames.label(root)) (SHA-256 \(fingerprint)…)")
        }
        return parts.joined(separator: ", ")
    }

    /// Sets the restartedAt annotation on istiod's pod template (as `kubectl rollout restart` does) and waits
    /// until the new pods are up.
    static func restartIstiod(_ client: KubeClient, namespace: String, timeout: Duration, context: CommandContext) async throws {
        let annotations: Value = .object(["kubectl.kubernetes.io/restartedAt": .string(Date().formatted(.iso8601))])
        let metadata: Value = .object(["annotations": annotations])
        let template: Value = .object(["metadata": metadata])
        let patch: Value = .object(["spec": .object(["template": template])])
        let patched = try client.patch(.deployments, name: "istiod", namespace: namespace, patch: patch, type: .strategic)
        context.printError("Restarting deployment \(namespace)/istiod …")
        let deadline = ContinuousClock.now + timeout
        if rolledOut(patched) { return }
        while true {
            guard ContinuousClock.now < deadline else {
                throw PKIError(.io, "istiod did not finish rolling out in time; check: kubectl rollout status deployment/istiod -n \(namespace)")
            }
            try await Task.sleep(for: .seconds(1))
            if rolledOut(try client.get(.deployments, name: "istiod", namespace: namespace)) { return }
        }
    }

    /// `kubectl rollout status`'s test: the controller saw the latest spec and every replica is updated and
    /// available.
    static func rolledOut(_ deployment: Value) -> Bool {
        let generation = deployment["metadata"]?["generation"]?.intValue ?? 0
        let status = deployment["status"]
        let observed: Int = status?["observedGeneration"]?.intValue ?? 0
        let wanted: Int = deployment["spec"]?["replicas"]?.intValue ?? 1
        let updated: Int = status?["updatedReplicas"]?.intValue ?? 0
        let available: Int = status?["availableReplicas"]?.intValue ?? 0
        let total: Int = status?["replicas"]?.intValue ?? 0
        return observed >= generation && updated >= wanted && total <= updated && available >= updated
    }
}

import MeshCore
import MeshKube
import MeshPolicy

/// Reads what the analyzers need from a cluster, across all namespaces: the Istio resources, pods, services,
/// and the gateways' certificate secrets (looked up one by one, so no secret data is listed).
enum ClusterSnapshot {
    static func load(_ client: KubeClient, kinds: [ResourceKind] = ResourceKind.allCases, rootNamespace: String) throws -> MeshSnapshot {
        var documents: [Value] = []
        for kind in kinds {
            do {
                documents += try IstioAPI.list(client, kind, namespace: nil)
            } catch {
                guard error.isNotFound else { throw error }  // not found: the CRD is not installed, so there are none
            }
        }
        for resource in [APIResource.pods, .services] {
            documents += try client.list(resource, options: ListOptions(allNamespaces: true)).items.map { item in
                var value = item
                value["kind"] = .string(resource.kind)
                return value
            }
        }
        var snapshot = MeshSnapshot(documents: documents, defaultNamespace: "default", rootNamespace: rootNamespace, complete: true)
        snapshot.secrets = try certificateSecrets(client, snapshot)
        return snapshot
    }

    /// The gateways' `credentialName` secrets that exist where their gateway pods run; `nil` when secrets may
    /// not be read.
    static func certificateSecrets(_ client: KubeClient, _ snapshot: MeshSnapshot) throws -> [MeshSnapshot.SecretName]? {
        var found: [MeshSnapshot.SecretName] = []
        for gateway in snapshot.gateways {
            for name in gateway.credentialNames {
                for namespace in gateway.secretNamespaces(snapshot).sorted() {
                    let secret = MeshSnapshot.SecretName(namespace: namespace, name: name)
                    guard !found.contains(secret) else { continue }
                    do {
                        _ = try client.get(.secrets, name: name, namespace: namespace)
                        found.append(secret)
                    } catch {
                        if error.isForbidden { return nil }
                        guard error.isNotFound else { throw error }
                    }
                }
            }
        }
        return found
    }
}

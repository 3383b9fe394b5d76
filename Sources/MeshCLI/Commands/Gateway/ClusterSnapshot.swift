import MeshCore
import MeshKube
import MeshPolicy

/// Reads what the analyzers need from a cluster, across all namespaces: the Istio resources, pods, services,
/// and the gateways' certificate secrets (looked up one by one, so no secret data is listed).
enum ClusterSnapshot {
    /// The cluster's resources, with `overrides` (files) in place of the objects of the same kind, namespace and
    /// name, and added where the cluster has none.
    static func load(
        _ client: KubeClient, kinds: [ResourceKind] = ResourceKind.allCases, rootNamespace: String,
        overrides: [Value] = [], defaultNamespace: String = "default"
    ) throws -> MeshSnapshot {
        var documents = try clusterDocuments(client, kinds: kinds)
        if !overrides.isEmpty {
            func identity(_ document: Value) -> String {
                let metadata = document["metadata"]
                return "\(document["kind"]?.stringValue ?? "")/\(metadata?["namespace"]?.stringValue ?? defaultNamespace)/\(metadata?["name"]?.stringValue ?? "")"
            }
            let replaced = Set(overrides.map(identity))
            documents = documents.filter { !replaced.contains(identity($0)) } + overrides
        }
        var snapshot = MeshSnapshot(documents: documents, defaultNamespace: defaultNamespace, rootNamespace: rootNamespace, complete: true)
        snapshot.secrets = try certificateSecrets(client, snapshot)
        return snapshot
    }

    /// The Istio resources, pods and services of every namespace.
    private static func clusterDocuments(_ client: KubeClient, kinds: [ResourceKind]) throws -> [Value] {
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
        return documents
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

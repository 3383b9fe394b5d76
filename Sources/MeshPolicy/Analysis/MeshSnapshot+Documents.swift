import MeshCore

extension MeshSnapshot {
    /// Kinds whose pod template stands for the pods they will run (offline, where there are no pods yet).
    static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

    /// Reads Kubernetes documents: the Istio kinds meshctl models, Pods and workload templates, Services and
    /// Secrets; other kinds are ignored. Objects without a namespace are in `defaultNamespace`.
    ///
    /// With `complete` (a cluster was listed) pods, services and secrets are known even when there are none;
    /// otherwise (files) each is known only when the documents include some. A modelled resource that cannot be
    /// read becomes an IST0106 message in `unreadable`.
    public init(documents: [Value], defaultNamespace: String, rootNamespace: String = "istio-system", complete: Bool) {
        self.init(rootNamespace: rootNamespace)
        var pods: [Workload] = [], services: [Service] = [], secrets: [SecretName] = []
        var seen: Set<String> = []
        for document in documents {
            let kind = document["kind"]?.stringValue ?? ""
            let metadata = document["metadata"] ?? [:]
            let name = metadata["name"]?.stringValue ?? ""
            let namespace = metadata["namespace"]?.stringValue ?? defaultNamespace
            switch kind {
            case "Pod":
                pods.append(Workload(namespace: namespace, labels: Self.strings(metadata["labels"]), name: name))
            case _ where Self.workloadKinds.contains(kind):
                pods.append(Workload(namespace: namespace, labels: Self.strings(document["spec"]?["template"]?["metadata"]?["labels"]), name: "\(kind.lowercased())/\(name)"))
            case "Service":
                services.append(Service(namespace: namespace, name: name, selector: Self.strings(document["spec"]?["selector"])))
            case "Secret":
                secrets.append(SecretName(namespace: namespace, name: name))
            default:
                do throws(PolicyError) {
                    guard var resource = try MeshResource.decode(document) else { continue }
                    if resource.namespace == nil { resource.setNamespace(defaultNamespace) }
                    resources.append(resource)
                } catch {
                    let origin = AnalysisMessage.Origin(kind: kind, namespace: namespace, name: name)
                    unreadable.append(AnalysisMessage(.schemaValidationError, origin: origin, "Schema validation error: \(error.description)"))
                }
                continue
            }
            seen.insert(kind == "Pod" || Self.workloadKinds.contains(kind) ? "Pod" : kind)
        }
        self.pods = complete || seen.contains("Pod") ? pods : nil
        self.services = complete || seen.contains("Service") ? services : nil
        self.secrets = complete || seen.contains("Secret") ? secrets : nil
    }

    private static func strings(_ value: Value?) -> [String: String] {
        guard case .object(let object)? = value else { return [:] }
        var result: [String: String] = [:]
        for (key, item) in object { if let text = item.stringValue { result[key] = text } }
        return result
    }
}

extension MeshResource {
    /// Sets `metadata.namespace` (for documents written without one).
    mutating func setNamespace(_ namespace: String) {
        switch self {
        case .gateway(var r): r.metadata.namespace = namespace; self = .gateway(r)
        case .virtualService(var r): r.metadata.namespace = namespace; self = .virtualService(r)
        case .destinationRule(var r): r.metadata.namespace = namespace; self = .destinationRule(r)
        case .serviceEntry(var r): r.metadata.namespace = namespace; self = .serviceEntry(r)
        case .sidecar(var r): r.metadata.namespace = namespace; self = .sidecar(r)
        case .authorizationPolicy(var r): r.metadata.namespace = namespace; self = .authorizationPolicy(r)
        case .peerAuthentication(var r): r.metadata.namespace = namespace; self = .peerAuthentication(r)
        case .requestAuthentication(var r): r.metadata.namespace = namespace; self = .requestAuthentication(r)
        }
    }

    /// Where findings about this resource point.
    var origin: AnalysisMessage.Origin {
        AnalysisMessage.Origin(kind: kind.rawValue, namespace: namespace ?? "", name: name)
    }
}

extension Resource {
    /// Where findings about this resource point.
    var origin: AnalysisMessage.Origin {
        AnalysisMessage.Origin(kind: kind.rawValue, namespace: namespace ?? "", name: name)
    }
}

import MeshCore

/// The outcome of injecting a stream of documents: the documents to write and the warnings to print.
public struct InjectionResult: Sendable {
    /// Every input document, injected or passed through, in input order.
    public var documents: [Value]
    /// Skips and other notes, one line each (Istio's wording).
    public var warnings: [String]
}

/// Sidecar injection over manifests, like Istio's `IntoResourceFile`: documents in, documents and warnings out,
/// no cluster access.
///
/// Pods and the pod templates of Deployments, DaemonSets, ReplicaSets, StatefulSets, Jobs, CronJobs,
/// ReplicationControllers, DeploymentConfigs and `List` items are injected; any other document passes through.
public struct Injector: Sendable {
    /// What injection renders with.
    public var settings: InjectionSettings

    /// Namespaces never injected.
    public static let ignoredNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]

    public init(settings: InjectionSettings) {
        self.settings = settings
    }

    /// Injects every document.
    ///
    /// - Throws: `MeshManifestError` for an invalid annotation, a template that fails, or a rendered template
    ///   that is not YAML; the message names the document.
    public func inject(_ documents: [Value]) throws(MeshManifestError) -> InjectionResult {
        var warnings: [String] = []
        var output: [Value] = []
        output.reserveCapacity(documents.count)
        for document in documents {
            output.append(try inject(document, warnings: &warnings))
        }
        return InjectionResult(documents: output, warnings: warnings)
    }

    /// Injects one document, appending skip warnings.
    public func inject(_ document: Value, warnings: inout [String]) throws(MeshManifestError) -> Value {
        guard let kind = document.string("kind") else { return document }
        if kind == "List" {
            var result = document
            var items: [Value] = []
            for item in document["items"]?.arrayValue ?? [] {
                items.append(try inject(item, warnings: &warnings))
            }
            if document["items"] != nil { result["items"] = .array(items) }
            return KubernetesShape.normalize(result)
        }
        guard let workload = Workload.forKind(kind), let spec = document.at(workload.specPath) else { return document }
        let objectMeta = document["metadata"] ?? .object([:])
        let podMeta = document.at(workload.metadataPath) ?? .object([:])
        let name = podMeta.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? objectMeta.string("name") ?? ""
        let namespace = objectMeta.string("namespace") ?? ""
        let fullName = namespace.isEmpty ? name : "\(namespace)/\(name)"
        let label = "\(kind) \"\(fullName)\""
        if spec["hostNetwork"]?.boolValue == true {
            warnings.append("Skipping injection because \(label) has host networking enabled")
            return KubernetesShape.normalize(document)
        }
        if let podNamespace = podMeta.string("namespace"), Self.ignoredNamespaces.contains(podNamespace) {
            return KubernetesShape.normalize(document)
        }
        if Self.injectionDisabled(podMeta) {
            warnings.append("Skipping injection because \(label) has sidecar injection disabled")
            return KubernetesShape.normalize(document)
        }
        let typeMeta: Value = kind == "Pod"
            ? ["apiVersion": .string(document.string("apiVersion") ?? "v1"), "kind": "Pod"]
            : ["apiVersion": .string(document.string("apiVersion") ?? ""), "kind": .string(kind)]
        let deploymentMeta: Value = ["name": .string(objectMeta.string("name") ?? ""), "namespace": .string(namespace)]
        let injector = PodInjector(settings: settings, document: label)
        let pod = try injector.inject(
            pod: ["metadata": podMeta, "spec": spec], typeMeta: typeMeta, deploymentMeta: deploymentMeta)
        var result = document
        result.set(workload.metadataPath, to: pod["metadata"] ?? .object([:]))
        result.set(workload.specPath, to: pod["spec"] ?? .object([:]))
        return KubernetesShape.normalize(result)
    }

    /// `sidecar.istio.io/inject: "false"` as an annotation or label turns injection off for the pod.
    static func injectionDisabled(_ metadata: Value) -> Bool {
        for field in ["labels", "annotations"] {
            if let value = metadata[field]?["sidecar.istio.io/inject"] {
                let text = SprigFunctions.string(value).lowercased()
                if ["false", "no", "n", "off", "0", "f"].contains(text) { return true }
            }
        }
        return false
    }
}

import MeshCore

/// Removes what injection added to a pod, using the `sidecar.istio.io/status` annotation for the containers,
/// volumes and pull secrets, and `ISTIO_KUBE_APP_PROBERS` to restore rewritten probes and hooks.
///
/// Labels and annotations that Istio's template always writes (`security.istio.io/tlsMode`,
/// `service.istio.io/canonical-*`, `istio.io/rev`, `kubectl.kubernetes.io/default-*`, Prometheus merge
/// annotations pointing at the agent) are removed too; a manifest that set them itself loses them.
public enum Uninjector {
    static let injectedLabels = [
        "security.istio.io/tlsMode", "service.istio.io/canonical-name", "service.istio.io/canonical-revision",
        "networking.istio.io/tunnel", "topology.istio.io/network",
    ]
    static let injectedAnnotations = [
        PodInjector.statusAnnotation, PodInjector.overridesAnnotation, "istio.io/rev",
        "kubectl.kubernetes.io/default-container", "kubectl.kubernetes.io/default-logs-container",
    ]

    /// A manifest document without its injected parts: Pods, workloads with pod templates and `List` items.
    public static func uninject(_ document: Value) -> Value {
        guard let kind = document.string("kind") else { return document }
        if kind == "List" {
            var result = document
            if let items = document["items"]?.arrayValue { result["items"] = .array(items.map(uninject)) }
            return result
        }
        guard let workload = Workload.forKind(kind), let spec = document.at(workload.specPath) else { return document }
        let metadata = document.at(workload.metadataPath) ?? .object([:])
        let pod = uninjectPod(["metadata": metadata, "spec": spec])
        var result = document
        result.set(workload.metadataPath, to: pod["metadata"] ?? .object([:]))
        result.set(workload.specPath, to: pod["spec"] ?? .object([:]))
        return result
    }

    /// The pod (`{metadata, spec}`) without its injected parts; unchanged when it carries no status annotation.
    public static func uninjectPod(_ input: Value) -> Value {
        guard case .string(let statusText)? = input["metadata"]?["annotations"]?[PodInjector.statusAnnotation],
            let status = try? JSON.parse(statusText)
        else { return input }
        var pod = input
        let probers = proberEnv(pod)
        if let probers { restoreProbes(&pod, probers) }
        let overrides = (input["metadata"]?["annotations"]?[PodInjector.overridesAnnotation]?.stringValue)
            .flatMap { try? JSON.parse($0) }
        for field in ["containers", "initContainers", "volumes", "imagePullSecrets"] {
            let injected = Set((status[field]?.arrayValue ?? []).compactMap(\.stringValue))
            guard var items = pod["spec"]?[field]?.arrayValue else { continue }
            items.removeAll { item in item.string("name").map(injected.contains) ?? false }
            if field == "containers" || field == "initContainers" {
                for original in overrides?[field]?.arrayValue ?? [] where original.string("name") != nil {
                    var restored = original
                    if restored["image"] == nil { restored["image"] = "auto" }
                    items.append(restored)
                }
            }
            pod.set(["spec", field], to: items.isEmpty && field != "containers" ? .null : .array(items))
            if items.isEmpty && field != "containers" { pod["spec"]?[field] = nil }
        }
        var annotations = pod["metadata"]?["annotations"]?.objectValue ?? [:]
        for name in injectedAnnotations { annotations[name] = nil }
        if annotations["prometheus.io/path"] == "/stats/prometheus" {
            for name in ["prometheus.io/port", "prometheus.io/path", "prometheus.io/scrape"] { annotations[name] = nil }
        }
        setOrRemove(&pod, ["metadata", "annotations"], annotations)
        var labels = pod["metadata"]?["labels"]?.objectValue ?? [:]
        for name in injectedLabels { labels[name] = nil }
        setOrRemove(&pod, ["metadata", "labels"], labels)
        return pod
    }

    private static func setOrRemove(_ pod: inout Value, _ path: [String], _ object: Value.Object) {
        if object.isEmpty {
            pod["metadata"]?[path[1]] = nil
        } else {
            pod.set(path, to: .object(object))
        }
    }

    static func proberEnv(_ pod: Value) -> Value? {
        guard let (field, index) = PodPostProcessor.findProxy(pod),
            let proxy = pod["spec"]?[field]?[index],
            let entry = proxy["env"]?.arrayValue?.first(where: { $0.string("name") == PodPostProcessor.proberEnv }),
            let text = entry.string("value")
        else { return nil }
        return try? JSON.parse(text)
    }

    private static func restoreProbes(_ pod: inout Value, _ probers: Value) {
        guard var containers = pod["spec"]?["containers"]?.arrayValue else { return }
        for index in containers.indices {
            guard let name = containers[index].string("name") else { continue }
            for (field, pattern) in ProbeRewriter.probes {
                if let prober = probers[ProbeRewriter.url(pattern, name)], let probe = containers[index][field] {
                    containers[index][field] = restored(probe, prober)
                }
            }
            for (hook, pattern) in ProbeRewriter.hooks {
                if let prober = probers[ProbeRewriter.url(pattern, name)],
                    let handler = containers[index]["lifecycle"]?[hook]
                {
                    containers[index]["lifecycle"]?[hook] = restored(handler, prober)
                }
            }
        }
        pod.set(["spec", "containers"], to: .array(containers))
    }

    private static func restored(_ probe: Value, _ prober: Value) -> Value {
        var result = probe
        result["httpGet"] = nil
        for key in ["httpGet", "tcpSocket", "grpc"] {
            if let action = prober[key] { result[key] = action }
        }
        return result
    }
}

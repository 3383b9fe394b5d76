import MeshCore

/// Istio's post-processing of a merged pod: Prometheus merge annotations, probe rewriting to the agent's
/// `/app-health/…` endpoints with `ISTIO_KUBE_APP_PROBERS`, the status annotation, and container order.
struct PodPostProcessor {
    let settings: InjectionSettings
    let proxyConfig: Value

    static let proberEnv = "ISTIO_KUBE_APP_PROBERS"

    var statusPort: Int {
        settings.meshConfig["defaultConfig"]?["statusPort"]?.intValue ?? 15020
    }

    mutating func process(_ input: Value, templatePod: Value, original: Value) -> Value {
        var pod = input
        var annotations = pod["metadata"]?["annotations"]?.objectValue ?? [:]
        var labels = pod["metadata"]?["labels"]?.objectValue ?? [:]
        if case .string(let network)? = settings.values["global"]?["network"], !network.isEmpty,
            labels["topology.istio.io/network"] == nil
        {
            labels["topology.istio.io/network"] = .string(network)
        }
        pod.set(["metadata", "labels"], to: .object(labels))
        applyPrometheusMerge(&pod, &annotations)
        pod.set(["metadata", "annotations"], to: .object(annotations))
        applyRewrite(&pod, annotations: annotations)
        moveNetworkEnvLast(&pod)
        annotations[PodInjector.statusAnnotation] = .string(status(of: templatePod))
        for (name, value) in settings.injectedAnnotations { annotations[name] = .string(value) }
        pod.set(["metadata", "annotations"], to: .object(annotations))
        reorder(&pod, original: original)
        return pod
    }

    // MARK: Prometheus

    private func applyPrometheusMerge(_ pod: inout Value, _ annotations: inout Value.Object) {
        if let scrape = annotations["prometheus.io/scrape"]?.stringValue, GoBool.parse(scrape) == false { return }
        var enabled = settings.meshConfig["enablePrometheusMerge"]?.boolValue ?? true
        if let merge = annotations["prometheus.istio.io/merge-metrics"]?.stringValue, let flag = GoBool.parse(merge) {
            enabled = flag
        }
        guard enabled else { return }
        let target = String(statusPort)
        if annotations["prometheus.io/port"]?.stringValue == target { return }
        var scrape = Value.Object()
        for key in ["scrape", "path", "port"] {
            if let value = annotations["prometheus.io/" + key] { scrape[key] = value }
        }
        if !scrape.isEmpty {
            let json = JSON.emit(.object(scrape), sortKeys: true)
            updateProxy(&pod) { proxy in
                var env = proxy["env"]?.arrayValue ?? []
                env.append(["name": "ISTIO_PROMETHEUS_ANNOTATIONS", "value": .string(json)])
                proxy["env"] = .array(env)
            }
        }
        annotations["prometheus.io/port"] = .string(target)
        annotations["prometheus.io/path"] = "/stats/prometheus"
        annotations["prometheus.io/scrape"] = "true"
    }

    // MARK: Probes

    private func applyRewrite(_ pod: inout Value, annotations: Value.Object) {
        guard Self.findProxy(pod) != nil else { return }
        var rewrite = settings.values["sidecarInjectorWebhook"]?["rewriteAppHTTPProbe"]?.boolValue ?? true
        if let text = annotations["sidecar.istio.io/rewriteAppHTTPProbers"]?.stringValue, let flag = GoBool.parse(text) {
            rewrite = flag
        }
        guard rewrite else { return }
        var port = statusPort
        if let text = annotations["status.sidecar.istio.io/port"]?.stringValue {
            guard let parsed = Int(text) else { return }
            port = parsed
        }
        let probers = ProbeRewriter.appProbers(pod, statusPort: statusPort)
        if !probers.isEmpty {
            let json = JSON.emit(.object(probers), sortKeys: true)
            updateProxy(&pod) { proxy in
                var env = proxy["env"]?.arrayValue ?? []
                env.append(["name": .string(Self.proberEnv), "value": .string(json)])
                proxy["env"] = .array(env)
            }
        }
        ProbeRewriter.rewrite(&pod, statusPort: port)
    }

    /// Istio re-applies the cluster's network to the proxy env after rendering, so `ISTIO_META_NETWORK` ends up last.
    private func moveNetworkEnvLast(_ pod: inout Value) {
        guard case .string(let network)? = settings.values["global"]?["network"], !network.isEmpty else { return }
        updateProxy(&pod) { proxy in
            var env = proxy["env"]?.arrayValue ?? []
            env.removeAll { $0.string("name") == "ISTIO_META_NETWORK" }
            env.append(["name": "ISTIO_META_NETWORK", "value": .string(network)])
            proxy["env"] = .array(env)
        }
    }

    // MARK: Status and order

    /// The `sidecar.istio.io/status` annotation: what the templates added, as Go's `json.Marshal` writes it.
    func status(of templatePod: Value) -> String {
        func names(_ field: String) -> String {
            guard let items = templatePod["spec"]?[field]?.arrayValue, !items.isEmpty else { return "null" }
            return JSON.emit(.array(items.map { $0["name"] ?? .string("") }))
        }
        let revision = settings.revision.isEmpty ? "default" : settings.revision
        return "{\"initContainers\":\(names("initContainers")),\"containers\":\(names("containers")),"
            + "\"volumes\":\(names("volumes")),\"imagePullSecrets\":\(names("imagePullSecrets")),"
            + "\"revision\":\(JSON.emit(.string(revision)))}"
    }

    private func reorder(_ pod: inout Value, original: Value) {
        var holdConfig = settings.meshConfig["defaultConfig"] ?? .null
        if case .string(let text)? = original["metadata"]?["annotations"]?["proxy.istio.io/config"],
            let parsed = try? YAML.parse(text)
        {
            holdConfig = MeshDefaults.deepMerge(holdConfig, parsed)
        }
        let hold =
            holdConfig["holdApplicationUntilProxyStarts"]?.boolValue == true
            || settings.values["global"]?["proxy"]?["holdApplicationUntilProxyStarts"]?.boolValue == true
        var containers = pod["spec"]?["containers"]?.arrayValue ?? []
        Self.move(&containers, PodInjector.proxyName, first: hold)
        if pod["spec"]?["containers"] != nil { pod.set(["spec", "containers"], to: .array(containers)) }
        guard var initContainers = pod["spec"]?["initContainers"]?.arrayValue else { return }
        if initContainers.contains(where: { $0.string("name") == PodInjector.proxyName }) {
            for name in ["enable-core-dump", PodInjector.proxyName, "istio-validation", "istio-init"] {
                Self.move(&initContainers, name, first: true)
            }
        } else {
            Self.move(&initContainers, "enable-core-dump", first: false)
            Self.move(&initContainers, "istio-init", first: false)
            Self.move(&initContainers, "istio-validation", first: true)
        }
        pod.set(["spec", "initContainers"], to: .array(initContainers))
    }

    static func move(_ list: inout [Value], _ name: String, first: Bool) {
        guard let index = list.firstIndex(where: { $0.string("name") == name }) else { return }
        let item = list.remove(at: index)
        if first { list.insert(item, at: 0) } else { list.append(item) }
    }

    /// The proxy container: under `containers`, or under `initContainers` as a native sidecar.
    static func findProxy(_ pod: Value) -> (field: String, index: Int)? {
        for field in ["containers", "initContainers"] {
            if let index = pod["spec"]?[field]?.arrayValue?.firstIndex(where: { $0.string("name") == PodInjector.proxyName }) {
                return (field, index)
            }
        }
        return nil
    }

    private func updateProxy(_ pod: inout Value, _ change: (inout Value) -> Void) {
        guard let (field, index) = Self.findProxy(pod), var list = pod["spec"]?[field]?.arrayValue else { return }
        change(&list[index])
        pod.set(["spec", field], to: .array(list))
    }
}

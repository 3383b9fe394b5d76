import MeshCore

/// Injects one pod (metadata + spec) the way Istio's `injectPod` does: render the selected templates, merge them
/// onto the pod, re-apply the user's own proxy container settings, then post-process.
struct PodInjector {
    let settings: InjectionSettings
    /// `Deployment "ns/name"`, for messages.
    let document: String

    static let proxyName = "istio-proxy"
    static let statusAnnotation = "sidecar.istio.io/status"
    static let overridesAnnotation = "proxy.istio.io/overrides"

    /// Returns the injected pod (`{metadata, spec}`).
    func inject(pod original: Value, typeMeta: Value, deploymentMeta: Value) throws(MeshManifestError) -> Value {
        var pod = original
        if pod["metadata"]?.objectValue == nil { pod["metadata"] = .object([:]) }
        if pod["spec"]?.objectValue == nil { pod["spec"] = .object([:]) }
        try AnnotationValidation.validate(pod["metadata"]?["annotations"]?.objectValue ?? [:], document: document)
        // Re-injection: start from the pod as it was before the previous injection.
        if pod["metadata"]?["annotations"]?[Self.statusAnnotation] != nil {
            pod = Uninjector.uninjectPod(pod)
        }
        let proxyConfig = try self.proxyConfig(for: pod)
        let data = SidecarTemplateData.make(
            settings: settings, pod: pod, typeMeta: typeMeta, deploymentMeta: deploymentMeta, proxyConfig: proxyConfig)

        var merged = pod
        var templatePod: Value = .object([:])
        for name in try selectedTemplates(pod) {
            guard let template = settings.templates[name] else {
                let have = settings.templates.keys.sorted().joined(separator: " ")
                throw MeshManifestError(
                    .invalidConfig, "requested template \"\(name)\" not found; have [\(have)]", document: document)
            }
            let rendered = try template.render(data)
            let overlay: Value
            do {
                overlay = try YAML.parse(rendered)
            } catch {
                throw MeshManifestError(
                    .invalidManifest, "failed parsing generated injected YAML (check Istio version): \(error)",
                    template: name, line: error.line, document: document, underlying: error)
            }
            guard overlay.isNull || overlay.objectValue != nil else {
                throw MeshManifestError(.invalidManifest, "template \(name) did not render a mapping", document: document)
            }
            templatePod = StrategicMerge.mergePod(templatePod, overlay)
            merged = movedToNativeSidecar(merged, templatePod: templatePod)
            merged = StrategicMerge.mergePod(merged, overlay)
        }
        merged = reapplyOverwrittenContainers(merged, original: pod, templatePod: templatePod)
        merged = honorProxyUser(merged, original: pod)
        var post = PodPostProcessor(settings: settings, proxyConfig: proxyConfig)
        return post.process(merged, templatePod: templatePod, original: pod)
    }

    /// The mesh `defaultConfig` with the pod's `proxy.istio.io/config` annotation applied.
    func proxyConfig(for pod: Value) throws(MeshManifestError) -> Value {
        let base = settings.meshConfig["defaultConfig"] ?? MeshDefaults.proxyConfig
        guard case .string(let text)? = pod["metadata"]?["annotations"]?["proxy.istio.io/config"] else { return base }
        do {
            return MeshDefaults.deepMerge(base, try YAML.parse(text))
        } catch {
            throw MeshManifestError(
                .invalidManifest, "invalid proxy.istio.io/config annotation: \(error)", document: document,
                field: "metadata.annotations[proxy.istio.io/config]", underlying: error)
        }
    }

    /// `inject.istio.io/templates` or the default templates, with aliases expanded.
    func selectedTemplates(_ pod: Value) throws(MeshManifestError) -> [String] {
        var names = settings.defaultTemplates
        if case .string(let list)? = pod["metadata"]?["annotations"]?["inject.istio.io/templates"] {
            names = SprigFunctions.split(list, separator: ",").map { SprigFunctions.trim($0, cutset: " ") }
                .filter { !$0.isEmpty }
        }
        return names.flatMap { settings.aliases[$0] ?? [$0] }
    }

    /// With native sidecars the template puts the proxy under `initContainers`; a user's `istio-proxy` entry under
    /// `containers` (a customization) moves there before the template is merged, so the two combine.
    func movedToNativeSidecar(_ pod: Value, templatePod: Value) -> Value {
        let templateInit = templatePod["spec"]?["initContainers"]?.arrayValue ?? []
        guard templateInit.contains(where: { $0.string("name") == Self.proxyName }),
            var containers = pod["spec"]?["containers"]?.arrayValue,
            containers.contains(where: { $0.string("name") == Self.proxyName })
        else { return pod }
        guard let index = containers.firstIndex(where: { $0.string("name") == Self.proxyName }) else { return pod }
        let proxy = containers.remove(at: index)
        var result = pod
        result.set(["spec", "containers"], to: .array(containers))
        var initContainers = pod["spec"]?["initContainers"]?.arrayValue ?? []
        initContainers.append(proxy)
        result.set(["spec", "initContainers"], to: .array(initContainers))
        return result
    }

    /// The user's own settings for injected containers (a container of the same name in the original pod, or
    /// the `proxy.istio.io/overrides` annotation of an earlier injection) win over the template.
    func reapplyOverwrittenContainers(_ final: Value, original: Value, templatePod: Value) -> Value {
        var result = final
        let overridesText = original["metadata"]?["annotations"]?[Self.overridesAnnotation]?.stringValue
        let existing = overridesText.flatMap { try? JSON.parse($0) } ?? .object([:])
        var overrides = Value.Object()
        for field in ["containers", "initContainers"] {
            var applied: [Value] = []
            for container in templatePod["spec"]?[field]?.arrayValue ?? [] {
                guard let name = container.string("name") else { continue }
                let match =
                    existing[field]?.arrayValue?.first { $0.string("name") == name }
                    ?? Self.findContainer(name, in: original)
                guard var overlay = match else { continue }
                if overlay.string("image") == "auto" { overlay["image"] = nil }
                applied.append(overlay)
                if name == Self.proxyName, interceptionMode(original) == "TPROXY" {
                    // TPROXY needs the proxy to run as root; the user's UID only reaches iptables.
                    overlay["securityContext"]?["runAsUser"] = nil
                }
                result = StrategicMerge.mergePod(result, ["spec": .object([field: .array([overlay])])])
            }
            if !applied.isEmpty { overrides[field] = .array(applied) }
        }
        if !overrides.isEmpty {
            var annotations = result["metadata"]?["annotations"]?.objectValue ?? [:]
            annotations[Self.overridesAnnotation] = .string(GoContainerJSON.encode(.object(overrides)))
            result.set(["metadata", "annotations"], to: .object(annotations))
        }
        return result
    }

    /// iptables must exempt the user the proxy runs as: a `runAsUser` set on the user's own `istio-proxy`
    /// container replaces the `-u` argument of `istio-init`.
    func honorProxyUser(_ pod: Value, original: Value) -> Value {
        guard let user = Self.findContainer(Self.proxyName, in: original)?["securityContext"]?["runAsUser"],
            let uid = user.intValue,
            var initContainers = pod["spec"]?["initContainers"]?.arrayValue,
            let index = initContainers.firstIndex(where: { $0.string("name") == "istio-init" }),
            var args = initContainers[index]["args"]?.arrayValue,
            let flag = args.firstIndex(of: "-u"), flag + 1 < args.count
        else { return pod }
        args[flag + 1] = .string(String(uid))
        initContainers[index]["args"] = .array(args)
        var result = pod
        result.set(["spec", "initContainers"], to: .array(initContainers))
        return result
    }

    /// The pod's interception mode: its annotation, else the mesh default.
    func interceptionMode(_ pod: Value) -> String {
        pod["metadata"]?["annotations"]?["sidecar.istio.io/interceptionMode"]?.stringValue
            ?? (try? proxyConfig(for: pod))?["interceptionMode"]?.stringValue ?? "REDIRECT"
    }

    /// A container by name among the pod's containers, then its init containers.
    static func findContainer(_ name: String, in pod: Value) -> Value? {
        for field in ["containers", "initContainers"] {
            if let match = pod["spec"]?[field]?.arrayValue?.first(where: { $0.string("name") == name }) {
                return match
            }
        }
        return nil
    }
}

import MeshCore

/// The data injection templates render with, shaped like Istio's `SidecarTemplateData` (`.ObjectMeta`, `.Spec`,
/// `.Values`, `.ProxyConfig`, `.MeshConfig`, `.ProxyImage`, …).
enum SidecarTemplateData {
    static func make(
        settings: InjectionSettings, pod: Value, typeMeta: Value, deploymentMeta: Value, proxyConfig: Value
    ) -> Value {
        var metadata = pod["metadata"] ?? .object([:])
        if metadata["annotations"]?.objectValue == nil { metadata["annotations"] = .object([:]) }
        if metadata["labels"]?.objectValue == nil { metadata["labels"] = .object([:]) }
        var spec = pod["spec"] ?? .object([:])
        if spec["serviceAccountName"] == nil { spec["serviceAccountName"] = "" }
        if spec["containers"] == nil { spec["containers"] = .array([]) }
        let annotations = metadata["annotations"]?.objectValue ?? [:]
        let values = settings.values
        let userProxy = PodInjector.findContainer(PodInjector.proxyName, in: pod)
        let inboundMode = settings.meshConfig["inboundTrafficPolicy"]?["mode"]?.stringValue ?? "PASSTHROUGH"
        return [
            "TypeMeta": typeMeta,
            "DeploymentMeta": deploymentMeta,
            "ObjectMeta": metadata,
            "Spec": spec,
            "ProxyConfig": proxyConfig,
            "MeshConfig": settings.meshConfig,
            "Values": values,
            "Revision": .string(settings.revision.isEmpty ? "default" : settings.revision),
            "ProxyImage": .string(
                image(values: values, name: values["global"]?["proxy"]?["image"], proxyConfig: proxyConfig,
                    annotations: annotations)),
            "ProxyInitImage": .string(
                image(values: values, name: values["global"]?["proxy_init"]?["image"], proxyConfig: proxyConfig,
                    annotations: annotations)),
            "ProxyUID": userProxy?["securityContext"]?["runAsUser"] ?? .null,
            "ProxyGID": userProxy?["securityContext"]?["runAsGroup"] ?? .null,
            "InboundTrafficPolicyMode": .string(inboundMode.lowercased()),
            "CompliancePolicy": .string(settings.environment["COMPLIANCE_POLICY"] ?? ""),
            "NativeSidecars": .bool(settings.nativeSidecars),
        ]
    }

    /// Istio's `ProxyImage`: `hub/name:tag`, the tag suffixed with the image type (`-distroless`), unless the
    /// name is already a full reference.
    static func image(values: Value, name: Value?, proxyConfig: Value, annotations: Value.Object) -> String {
        let global = values["global"] ?? .object([:])
        let imageName = name.map(SprigFunctions.string).flatMap { $0.isEmpty ? nil : $0 } ?? "proxyv2"
        if imageName.contains("/") { return imageName }
        let hub = SprigFunctions.string(global["hub"] ?? .null)
        let tag = global["tag"].map { $0.isNull ? "" : GoFormat.value($0) } ?? ""
        var imageType = SprigFunctions.string(global["variant"] ?? .null)
        if let fromConfig = proxyConfig["image"]?["imageType"]?.stringValue { imageType = fromConfig }
        if let fromAnnotation = annotations["sidecar.istio.io/proxyImageType"]?.stringValue { imageType = fromAnnotation }
        return hub + "/" + imageName + ":" + taggedWithType(tag, imageType)
    }

    static func taggedWithType(_ tag: String, _ imageType: String) -> String {
        guard !imageType.isEmpty else { return tag }
        var base = tag
        for known in ["distroless", "debug"] where base.hasSuffix("-" + known) {
            base = String(base.dropLast(known.count + 1))
            break
        }
        return imageType == "default" ? base : base + "-" + imageType
    }
}

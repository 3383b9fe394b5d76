import MeshCore

/// `json.Marshal` of Istio's parsed-containers struct (`{"containers":[…],"initContainers":[…]}`), with
/// `corev1.Container` fields in Go struct order and `resources` always present, for the
/// `proxy.istio.io/overrides` annotation.
enum GoContainerJSON {
    static let containerOrder = [
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
        "restartPolicy", "restartPolicyRules", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe",
        "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
        "securityContext", "stdin", "stdinOnce", "tty",
    ]

    static func encode(_ overrides: Value) -> String {
        var parts: [String] = []
        for field in ["containers", "initContainers"] {
            guard let items = overrides[field]?.arrayValue, !items.isEmpty else { continue }
            parts.append("\"\(field)\":[" + items.map(container).joined(separator: ",") + "]")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func container(_ value: Value) -> String {
        guard case .object(var object) = value else { return JSON.emit(value) }
        if object["resources"] == nil { object["resources"] = .object([:]) }
        let known = Set(containerOrder)
        let keys = containerOrder.filter { object[$0] != nil } + object.keys.filter { !known.contains($0) }.sorted()
        let fields = keys.map { key in
            JSON.emit(.string(key)) + ":" + JSON.emit(KubernetesShape.canonicalResources(key, object[key]!), sortKeys: true)
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

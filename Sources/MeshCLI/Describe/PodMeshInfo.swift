import MeshCore

/// What the mesh makes of one pod: its role, its sidecar (native or classic, image, version, revision) and the
/// resources its proxy and its application containers request.
struct PodMeshInfo: Sendable, Equatable {
    enum Role: String, Sendable { case controlPlane = "control-plane", gateway, meshed, unmeshed }

    var namespace: String
    var name: String
    var role: Role
    var phase: String
    /// `native` (an init container with restartPolicy Always) or `classic`, when the pod has a sidecar.
    var sidecarMode: String?
    var proxyImage: String?
    var revision: String?
    var sidecarCPU = 0
    var sidecarMemory = 0
    var appCPU = 0
    var appMemory = 0

    var proxyVersion: String? {
        guard let image = proxyImage, let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") else { return nil }
        return String(image[image.index(after: colon)...])
    }

    static let proxyName = "istio-proxy"

    /// Classifies `pod`; `meshNamespace` is where control-plane components live.
    init(_ pod: Value, meshNamespace: String) {
        let metadata = pod["metadata"] ?? .null
        namespace = metadata["namespace"]?.stringValue ?? ""
        name = metadata["name"]?.stringValue ?? ""
        phase = pod["status"]?["phase"]?.stringValue ?? "Unknown"
        let labels = metadata["labels"]?.objectValue ?? [:]
        let spec = pod["spec"] ?? .null
        let containers = spec["containers"]?.arrayValue ?? []
        let initContainers = spec["initContainers"]?.arrayValue ?? []
        let classic = containers.first { $0["name"]?.stringValue == Self.proxyName }
        let native = initContainers.first { $0["name"]?.stringValue == Self.proxyName && $0["restartPolicy"]?.stringValue == "Always" }
        let proxy = native ?? classic
        sidecarMode = native != nil ? "native" : (classic != nil ? "classic" : nil)
        proxyImage = proxy?["image"]?.stringValue
        revision = labels["istio.io/rev"]?.stringValue
            ?? metadata["annotations"]?["sidecar.istio.io/status"]?.stringValue.flatMap { try? JSON.parse($0) }?["revision"]?.stringValue
        for container in containers + initContainers {
            let requests = container["resources"]?["requests"]
            let cpu = Quantity.millicores(requests?["cpu"]?.stringValue)
            let memory = Quantity.bytes(requests?["memory"]?.stringValue)
            let isProxy = container["name"]?.stringValue == Self.proxyName
            let isSidecarInit = initContainers.contains(container) && !isProxy
            if isSidecarInit { continue }
            if isProxy { sidecarCPU += cpu; sidecarMemory += memory } else { appCPU += cpu; appMemory += memory }
        }
        let istioLabel = labels["istio"]?.stringValue ?? ""
        let app = labels["app"]?.stringValue ?? ""
        if namespace == meshNamespace && (app == "istiod" || istioLabel == "pilot" || app.hasPrefix("istiod-")) {
            role = .controlPlane
        } else if istioLabel.hasSuffix("gateway") || labels["gateway.istio.io/managed"] != nil
                    || (proxy?["args"]?.arrayValue?.contains("router") ?? false) {
            role = .gateway
        } else {
            role = sidecarMode != nil ? .meshed : .unmeshed
        }
    }

    var value: Value {
        var item: Value = ["namespace": .string(namespace), "name": .string(name), "role": .string(role.rawValue), "phase": .string(phase)]
        if let sidecarMode {
            var sidecar: Value = ["mode": .string(sidecarMode), "image": .string(proxyImage ?? "")]
            if let proxyVersion { sidecar["version"] = .string(proxyVersion) }
            if let revision { sidecar["revision"] = .string(revision) }
            item["sidecar"] = sidecar
        }
        return item
    }
}

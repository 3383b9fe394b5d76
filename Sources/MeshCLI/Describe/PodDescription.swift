import MeshCore

/// `describe pod` as a pure presenter (istioctl's `x describe pod`): the services selecting the pod, the
/// VirtualServices and DestinationRules for their hosts, the effective mTLS mode, the authorization and request
/// authentication policies that select it, its sidecar, and whether an ingress gateway exposes it.
struct PodDescription {
    /// The Istio objects the description reads, fetched by the command.
    struct MeshObjects {
        var services: [Value] = []
        var virtualServices: [Value] = []
        var destinationRules: [Value] = []
        var peerAuthentications: [Value] = []
        var authorizationPolicies: [Value] = []
        var requestAuthentications: [Value] = []
    }

    let pod: Value
    let info: PodMeshInfo
    let value: Value

    init(pod: Value, objects: MeshObjects, meshNamespace: String) {
        self.pod = pod
        info = PodMeshInfo(pod, meshNamespace: meshNamespace)
        let namespace = info.namespace
        let labels = LabelMatch.labels(pod)
        let services = objects.services.filter { service in
            guard let selector = service["spec"]?["selector"]?.objectValue, !selector.isEmpty else { return false }
            return selector.allSatisfy { labels[$0.key] == $0.value.stringValue }
        }
        var hosts: Set<String> = []
        for service in services {
            let name = service["metadata"]?["name"]?.stringValue ?? ""
            hosts.formUnion([name, "\(name).\(namespace)", "\(name).\(namespace).svc", "\(name).\(namespace).svc.cluster.local"])
        }
        let full = hosts.filter { $0.hasSuffix(".cluster.local") }
        func matchesHost(_ host: String, objectNamespace: String) -> Bool {
            if host == "*" { return !full.isEmpty }
            if host.hasPrefix("*.") { return full.contains { $0.hasSuffix(String(host.dropFirst())) } }
            if !host.contains(".") { return objectNamespace == namespace && hosts.contains(host) }
            return hosts.contains(host)
        }
        let virtualServices = objects.virtualServices.filter { vs in
            let ns = vs["metadata"]?["namespace"]?.stringValue ?? ""
            return (vs["spec"]?["hosts"]?.arrayValue ?? []).contains { matchesHost($0.stringValue ?? "", objectNamespace: ns) }
        }
        let destinationRules = objects.destinationRules.filter { dr in
            matchesHost(dr["spec"]?["host"]?.stringValue ?? "", objectNamespace: dr["metadata"]?["namespace"]?.stringValue ?? "")
        }
        func selects(_ policy: Value) -> Bool {
            let ns = policy["metadata"]?["namespace"]?.stringValue ?? ""
            guard ns == namespace || ns == meshNamespace else { return false }
            guard let selector = policy["spec"]?["selector"]?["matchLabels"]?.objectValue else { return true }
            return ns == namespace && selector.allSatisfy { labels[$0.key] == $0.value.stringValue }
        }
        let peer = objects.peerAuthentications.filter(selects)
        let rank: (Value) -> Int = { policy in
            let ns = policy["metadata"]?["namespace"]?.stringValue ?? ""
            if policy["spec"]?["selector"] != nil && ns == namespace { return 0 }
            return ns == namespace ? 1 : 2
        }
        let effective = peer.sorted { rank($0) < rank($1) }.first
        let mtls = effective?["spec"]?["mtls"]?["mode"]?.stringValue ?? "PERMISSIVE"
        let gateways = Set(virtualServices.flatMap { ($0["spec"]?["gateways"]?.arrayValue ?? []).compactMap(\.stringValue) }.filter { $0 != "mesh" })

        let ref: (Value) -> Value = { .string("\($0["metadata"]?["name"]?.stringValue ?? "").\($0["metadata"]?["namespace"]?.stringValue ?? "")") }
        value = [
            "pod": .string("\(info.name).\(namespace)"),
            "role": .string(info.role.rawValue),
            "sidecar": info.value["sidecar"] ?? .null,
            "services": .array(services.map { service in
                ["name": ref(service), "ports": .array((service["spec"]?["ports"]?.arrayValue ?? []).map {
                    ["port": $0["port"] ?? .null, "protocol": $0["protocol"] ?? "TCP", "name": $0["name"] ?? "", "targetPort": $0["targetPort"] ?? .null]
                })]
            }),
            "virtualServices": .array(virtualServices.map { ["name": ref($0), "hosts": $0["spec"]?["hosts"] ?? [], "gateways": $0["spec"]?["gateways"] ?? []] }),
            "destinationRules": .array(destinationRules.map { rule in
                ["name": ref(rule), "host": rule["spec"]?["host"] ?? "",
                 "subsets": .array((rule["spec"]?["subsets"]?.arrayValue ?? []).map { $0["name"] ?? "" }),
                 "trafficPolicy": rule["spec"]?["trafficPolicy"] ?? .null]
            }),
            "mtls": ["mode": .string(mtls), "from": effective.map(ref) ?? "mesh default"],
            "authorizationPolicies": .array(objects.authorizationPolicies.filter(selects).map { ["name": ref($0), "action": $0["spec"]?["action"] ?? "ALLOW"] }),
            "requestAuthentications": .array(objects.requestAuthentications.filter(selects).map(ref)),
            "exposedThroughGateways": .array(gateways.sorted().map(Value.string)),
        ]
    }

    var text: String {
        let s: (Value?) -> String = { JSONPathText.scalar($0) }
        var out = "Pod: \(s(value["pod"]))\n"
        out += "   Role: \(s(value["role"]))\n"
        if info.sidecarMode != nil {
            out += "   Sidecar: \(info.sidecarMode ?? "") \(info.proxyImage ?? "")" + (info.revision.map { " (revision \($0))" } ?? "") + "\n"
        } else {
            out += "   Sidecar: none (not part of the mesh)\n"
        }
        for service in value["services"]?.arrayValue ?? [] {
            let ports = (service["ports"]?.arrayValue ?? []).map { "\(s($0["port"]))/\(s($0["protocol"]))" + (s($0["name"]).isEmpty ? "" : " (\(s($0["name"])))") }
            out += "Service: \(s(service["name"]))\n   Ports: \(ports.joined(separator: ", "))\n"
        }
        if value["services"]?.arrayValue?.isEmpty ?? true { out += "Service: none selects this pod\n" }
        for rule in value["destinationRules"]?.arrayValue ?? [] {
            let subsets = (rule["subsets"]?.arrayValue ?? []).map(s)
            out += "DestinationRule: \(s(rule["name"])) for \"\(s(rule["host"]))\"\n"
            if !subsets.isEmpty { out += "   Subsets: \(subsets.joined(separator: ", "))\n" }
            if let policy = rule["trafficPolicy"], !policy.isNull { out += "   Traffic policy: \(JSON.emit(policy))\n" }
        }
        for vs in value["virtualServices"]?.arrayValue ?? [] {
            out += "VirtualService: \(s(vs["name"])) hosts \((vs["hosts"]?.arrayValue ?? []).map(s).joined(separator: ", "))\n"
        }
        out += "Effective mTLS: \(s(value["mtls"]?["mode"])) (from \(s(value["mtls"]?["from"])))\n"
        let policies = (value["authorizationPolicies"]?.arrayValue ?? []).map { "\(s($0["name"])) (\(s($0["action"])))" }
        out += "AuthorizationPolicies: \(policies.isEmpty ? "none" : policies.joined(separator: ", "))\n"
        let authn = (value["requestAuthentications"]?.arrayValue ?? []).map(s)
        out += "RequestAuthentications: \(authn.isEmpty ? "none" : authn.joined(separator: ", "))\n"
        let gateways = (value["exposedThroughGateways"]?.arrayValue ?? []).map(s)
        out += gateways.isEmpty ? "Not exposed through an ingress gateway\n" : "Exposed through gateways: \(gateways.joined(separator: ", "))\n"
        return out
    }
}

/// Labels of an object as a dictionary.
enum LabelMatch {
    static func labels(_ object: Value) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in object["metadata"]?["labels"]?.objectValue ?? [:] { labels[key] = value.stringValue ?? "" }
        return labels
    }
}

/// Checks Istio resources with Istio's own rules and messages (its admission webhook's), without a cluster.
public enum Validator {
    /// Every issue of `resource`: unknown fields (warnings), metadata, then the kind's own rules.
    public static func validate(_ resource: MeshResource) -> [ValidationIssue] {
        var list = IssueList()
        for field in resource.unknownFields {
            list.warning(field, "unknown field \"\(field.split(separator: ".").last.map(String.init) ?? field)\" (kept as written)")
        }
        if resource.name.isEmpty { list.error("metadata.name", "name is required") }
        switch resource {
        case .gateway(let r): gateway(r, &list)
        case .virtualService(let r): virtualService(r, &list)
        case .destinationRule(let r): destinationRule(r, &list)
        case .serviceEntry(let r): serviceEntry(r, &list)
        case .sidecar(let r): sidecar(r, &list)
        case .authorizationPolicy(let r): authorizationPolicy(r, &list)
        case .peerAuthentication(let r): peerAuthentication(r, &list)
        case .requestAuthentication(let r): requestAuthentication(r, &list)
        }
        return list.issues
    }

    /// Whether any issue is an error.
    public static func hasErrors(_ issues: [ValidationIssue]) -> Bool {
        issues.contains { $0.severity == .error }
    }

    static func exportTo(_ values: [String]?, namespace: String?, isServiceEntry: Bool, _ list: inout IssueList) {
        guard let values, !values.isEmpty else { return }
        var seen: Set<String> = []
        for (index, value) in values.enumerated() {
            let key = value == "." ? (namespace ?? ".") : value
            if seen.contains(key) {
                list.error("spec.exportTo[\(index)]", key != value ? "duplicate entries in exportTo: . and current namespace \(key)" : "duplicate entries in exportTo for entry \(value)")
                continue
            }
            seen.insert(key)
            if value == "~" && !isServiceEntry {
                list.error("spec.exportTo[\(index)]", "exportTo ~ (no one) is only allowed for service entries")
            } else if !["*", ".", "~"].contains(value) && !HostnameRules.isDNS1123Label(value) {
                list.error("spec.exportTo[\(index)]", "only ., * or namespaces are allowed in exportTo, found \(value)")
            }
        }
        if seen.contains("*") && values.count > 1 { list.error("spec.exportTo", "cannot have both public (*) and non-public exportTo values for a resource") }
        if seen.contains("~") && values.count > 1 { list.error("spec.exportTo", "cannot export service entry to no one (~) and someone") }
    }

    static func selectorAndTargets(_ selector: WorkloadSelector?, _ targetRef: PolicyTargetReference?, _ targetRefs: [PolicyTargetReference]?, _ list: inout IssueList) {
        let set = (selector != nil ? 1 : 0) + (targetRef != nil ? 1 : 0) + ((targetRefs ?? []).isEmpty ? 0 : 1)
        if set > 1 { list.error("spec", "only one of targetRefs or workloadSelector can be set") }
        if let selector {
            for problem in HostnameRules.selectorLabels(selector.matchLabels) { list.error("spec.selector.matchLabels", problem) }
            if (selector.matchLabels ?? [:]).isEmpty { list.warning("spec.selector", "workload selector specified without labels") }
        }
        let refs = (targetRef.map { [("spec.targetRef", $0)] } ?? []) + (targetRefs ?? []).enumerated().map { ("spec.targetRefs[\($0)]", $1) }
        for (path, ref) in refs {
            if (ref.name ?? "").isEmpty { list.error(path, "targetRef name must be set") }
            if !(ref.namespace ?? "").isEmpty { list.error(path, "targetRef namespace must not be set; cross namespace referencing is not supported") }
            let group = (ref.group ?? "").isEmpty ? "core" : ref.group!
            let allowed = [("core", "Service"), ("networking.istio.io", "ServiceEntry"), ("gateway.networking.k8s.io", "Gateway")]
            if !allowed.contains(where: { $0.0 == group && $0.1 == ref.kind }) {
                list.error(path, "targetRef must be to one of [/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway] but was \(ref.group ?? "")/\(ref.kind ?? "")")
            }
        }
    }
}

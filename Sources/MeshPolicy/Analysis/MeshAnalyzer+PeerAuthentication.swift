extension MeshAnalyzer {
    /// MSH0001: PeerAuthentications that compete for the same workloads — several without a selector in one
    /// namespace (mesh-wide in the root namespace), or several whose selectors pick the same pod (or, with no
    /// pods known, have the same selector). Istio applies only the oldest of them, silently.
    static func peerAuthenticationConflicts(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        var messages: [AnalysisMessage] = []
        let byNamespace = Dictionary(grouping: snapshot.peerAuthentications) { $0.namespace ?? "" }
        for (namespace, policies) in byNamespace {
            let wide = policies.filter { ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
            if wide.count > 1 {
                let scope = namespace == snapshot.rootNamespace ? "mesh-wide" : "namespace-wide"
                let names = wide.map(\.name).sorted()
                for policy in wide {
                    messages.append(AnalysisMessage(
                        .conflictingPeerAuthentications, origin: policy.origin,
                        "The PeerAuthentications \(list(names)) in namespace \(quoted(namespace)) are all \(scope) (no selector); Istio applies only the oldest."))
                }
            }
            let selecting = policies.filter { !($0.spec.selector?.matchLabels ?? [:]).isEmpty }
            for (policy, rivals, reason) in selectorConflicts(selecting, namespace: namespace, snapshot) {
                messages.append(AnalysisMessage(
                    .conflictingPeerAuthentications, origin: policy.origin,
                    "The PeerAuthentications \(list(([policy.name] + rivals).sorted())) in namespace \(quoted(namespace)) select the same \(reason); Istio applies only the oldest."))
            }
        }
        return messages
    }

    /// For each policy that competes with others: the others' names and what they share (a pod, or a selector).
    private static func selectorConflicts(
        _ policies: [Resource<PeerAuthenticationSpec>], namespace: String, _ snapshot: MeshSnapshot
    ) -> [(Resource<PeerAuthenticationSpec>, [String], String)] {
        var result: [(Resource<PeerAuthenticationSpec>, [String], String)] = []
        let pods = snapshot.pods(selectedBy: [:], in: namespace)?.sorted { ($0.name ?? "") < ($1.name ?? "") }
        for policy in policies.sorted(by: { $0.name < $1.name }) {
            let selector = policy.spec.selector ?? WorkloadSelector()
            let others = policies.filter { $0.name != policy.name }
            if let pods {
                for pod in pods where selector.matches(pod.labels) {
                    let rivals = others.filter { ($0.spec.selector ?? WorkloadSelector()).matches(pod.labels) }.map(\.name)
                    if !rivals.isEmpty {
                        result.append((policy, rivals, "workload pod \(quoted(pod.name ?? ""))"))
                        break
                    }
                }
            } else {
                let rivals = others.filter { $0.spec.selector?.matchLabels == selector.matchLabels }.map(\.name)
                if !rivals.isEmpty {
                    result.append((policy, rivals, "workloads (\(HostNames.selectorText(selector.matchLabels ?? [:])))"))
                }
            }
        }
        return result
    }
}

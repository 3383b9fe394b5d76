extension MeshAnalyzer {
    /// IST0173: a DestinationRule subset whose labels match none of the host's pods (only when pods are known).
    /// The host's pods are those its Service selects, or, with no Services known, every pod of the host's
    /// namespace.
    static func subsetPods(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        guard snapshot.pods != nil else { return [] }
        var messages: [AnalysisMessage] = []
        for rule in snapshot.destinationRules {
            guard let host = rule.spec.host, let candidates = hostPods(HostNames.fqdn(host, in: rule.namespace ?? ""), snapshot) else { continue }
            for subset in rule.spec.subsets ?? [] {
                let labels = subset.labels ?? [:]
                guard !candidates.contains(where: { pod in labels.allSatisfy { pod.labels[$0.key] == $0.value } }) else { continue }
                messages.append(AnalysisMessage(
                    .destinationRuleSubsetNotSelectPods, origin: rule.origin,
                    "The Subset \(subset.name ?? "") defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."))
            }
        }
        return messages
    }

    private static func hostPods(_ fqdn: String, _ snapshot: MeshSnapshot) -> [Workload]? {
        if let services = snapshot.services {
            guard let service = services.first(where: { $0.hostname == fqdn }) else { return nil }
            return snapshot.pods(selectedBy: service.selector, in: service.namespace)
        }
        guard fqdn.hasSuffix(HostNames.clusterSuffix) else { return nil }
        let parts = fqdn.dropLast(HostNames.clusterSuffix.count).split(separator: ".")
        guard parts.count == 2 else { return nil }
        return snapshot.pods(selectedBy: [:], in: String(parts[1]))
    }

    /// IST0101 for a Gateway whose selector picks no pod in any namespace (only when pods are known).
    static func gatewayWorkloads(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        snapshot.gateways.compactMap { gateway -> AnalysisMessage? in
            let selector = gateway.spec.selector ?? [:]
            guard !selector.isEmpty, let pods = snapshot.pods(selectedBy: selector), pods.isEmpty else { return nil }
            return AnalysisMessage(.referencedResourceNotFound, origin: gateway.origin, "Referenced selector not found: \(quoted(HostNames.selectorText(selector)))")
        }
    }

    /// IST0101 for a server's `credentialName` with no such secret where the gateway pods run (the gateway's
    /// namespace when no pods are known); only when secrets are known.
    static func gatewaySecrets(_ snapshot: MeshSnapshot) -> [AnalysisMessage] {
        guard let secrets = snapshot.secrets else { return [] }
        var messages: [AnalysisMessage] = []
        for gateway in snapshot.gateways {
            for name in gateway.credentialNames {
                let places = gateway.secretNamespaces(snapshot)
                guard !secrets.contains(where: { places.contains($0.namespace) && $0.name == name }) else { continue }
                messages.append(AnalysisMessage(.referencedResourceNotFound, origin: gateway.origin, "Referenced credentialName not found: \(quoted(name))"))
            }
        }
        return messages
    }
}

extension Resource<GatewaySpec> {
    /// The secrets its servers read certificates from (SDS names such as `kubernetes://…` excluded).
    public var credentialNames: [String] {
        var names: [String] = []
        for server in spec.servers ?? [] {
            for name in [server.tls?.credentialName].compactMap({ $0 }) + (server.tls?.credentialNames ?? []) where !name.contains("://") && !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// Where its secrets must be: the namespaces of the gateway pods, or its own when none are known.
    public func secretNamespaces(_ snapshot: MeshSnapshot) -> Set<String> {
        let selector = spec.selector ?? [:]
        let pods = selector.isEmpty ? [] : snapshot.pods(selectedBy: selector) ?? []
        return pods.isEmpty ? [namespace ?? ""] : Set(pods.map(\.namespace))
    }
}

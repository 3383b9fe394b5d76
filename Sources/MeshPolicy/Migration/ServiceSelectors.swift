import MeshCore

/// The pod selectors of the Kubernetes Services in the input: how a legacy `services` entry (a host name,
/// exact, `prefix*` or `*suffix`) becomes the workload selectors of AuthorizationPolicies.
struct ServiceSelectors {
    /// How one `services` entry resolves.
    enum Resolution: Equatable {
        /// Every workload of the namespace (no selector).
        case all
        /// The selectors of the matching services, with each service's name.
        case selectors([(name: String, labels: [String: String])])
        /// Not expressible; the reason.
        case unresolved(String)

        static func == (lhs: Resolution, rhs: Resolution) -> Bool {
            switch (lhs, rhs) {
            case (.all, .all): true
            case (.selectors(let a), .selectors(let b)): a.map(\.name) == b.map(\.name) && a.map(\.labels) == b.map(\.labels)
            case (.unresolved(let a), .unresolved(let b)): a == b
            default: false
            }
        }
    }

    /// namespace → service name → selector (`nil`: a Service without a selector).
    private var byNamespace: [String: [String: [String: String]?]] = [:]

    mutating func add(name: String, namespace: String, selector: Value?) {
        var labels: [String: String]? = nil
        if case .object(let object)? = selector, !object.isEmpty {
            labels = Dictionary(uniqueKeysWithValues: object.compactMap { key, value in value.stringValue.map { (key, $0) } })
        }
        byNamespace[namespace, default: [:]][name] = labels
    }

    /// The service host's namespace, when the host names one (`name.ns…`).
    static func namespace(ofHost host: String) -> String? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 1 && !host.contains("*") ? String(parts[1]) : nil
    }

    /// Resolves `pattern` for a role in `namespace` (legacy roles only ever applied to services of their namespace).
    func resolve(_ pattern: String, namespace: String) -> Resolution {
        let domain = ".\(namespace).svc.cluster.local"
        let known = byNamespace[namespace] ?? [:]
        if pattern == "*" { return .all }
        if pattern.hasPrefix("*") {
            let suffix = String(pattern.dropFirst())
            if suffix.hasPrefix("."), domain.hasSuffix(suffix) { return .all }
            return matching(known, what: pattern) { name in (name + domain).hasSuffix(suffix) }
        }
        if pattern.hasSuffix("*") {
            let prefix = String(pattern.dropLast())
            return matching(known, what: pattern) { name in (name + domain).hasPrefix(prefix) }
        }
        if let other = Self.namespace(ofHost: pattern), other != namespace {
            return .unresolved("service \(pattern) is not in the role's namespace \(namespace), so the role never applied to it")
        }
        let name = String(pattern.prefix { $0 != "." })
        guard let entry = known[name] else {
            return .unresolved("Service \(namespace)/\(name) is not in the input, so its pod selector is unknown (add the Service's YAML to the input)")
        }
        guard let labels = entry else { return .unresolved("Service \(namespace)/\(name) has no pod selector") }
        return .selectors([(name, labels)])
    }

    private func matching(_ known: [String: [String: String]?], what pattern: String, _ test: (String) -> Bool) -> Resolution {
        guard !known.isEmpty else {
            return .unresolved("service pattern \(pattern) needs the namespace's Services in the input to find the workloads it covers")
        }
        let found = known.keys.sorted().filter(test).compactMap { name in known[name]!.map { (name: name, labels: $0) } }
        return found.isEmpty ? .unresolved("no Service with a pod selector in the input matches \(pattern)") : .selectors(found)
    }
}

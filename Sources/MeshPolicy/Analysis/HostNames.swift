/// Host name rules the analyzers share: short names resolved in a namespace, and wildcard overlap as Istio
/// decides it.
enum HostNames {
    static let clusterSuffix = ".svc.cluster.local"

    /// A short name (`reviews`) is the service of that name in `namespace`; anything with a dot is taken as written.
    static func fqdn(_ host: String, in namespace: String) -> String {
        host.contains(".") || host.hasPrefix("*") ? host : "\(host).\(namespace)\(clusterSuffix)"
    }

    /// Whether two hosts overlap: equal, or one's wildcard (`*.example.com`, `*`) covers the other.
    static func overlap(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        switch (a.hasPrefix("*"), b.hasPrefix("*")) {
        case (true, true): return a.count < b.count ? b.hasSuffix(a.dropFirst()) : a.hasSuffix(b.dropFirst())
        case (true, false): return b.hasSuffix(a.dropFirst())
        case (false, true): return a.hasSuffix(b.dropFirst())
        case (false, false): return false
        }
    }

    /// `namespace/name` for a reference written `name` or `namespace/name`.
    static func qualified(_ reference: String, in namespace: String) -> (namespace: String, name: String) {
        guard let slash = reference.firstIndex(of: "/") else { return (namespace, reference) }
        return (String(reference[..<slash]), String(reference[reference.index(after: slash)...]))
    }

    /// A Gateway server host `[namespace/]host` as (namespace, host): `*` for any namespace, `.` resolved to the
    /// gateway's own namespace.
    static func gatewayHost(_ entry: String, gatewayNamespace: String) -> (namespace: String, host: String) {
        guard let slash = entry.firstIndex(of: "/") else { return ("*", entry) }
        let namespace = String(entry[..<slash])
        return (namespace == "." ? gatewayNamespace : namespace, String(entry[entry.index(after: slash)...]))
    }

    /// A label selector as Kubernetes prints it: `app=web,version=v1` (keys sorted).
    static func selectorText(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// The mutual TLS mode a workload's inbound traffic runs under.
public enum MTLSMode: String, Sendable, Hashable, CaseIterable {
    /// Only mutual TLS connections are accepted.
    case strict = "STRICT"
    /// Mutual TLS and plain text are both accepted.
    case permissive = "PERMISSIVE"
    /// Plain text only.
    case disable = "DISABLE"

    /// The mode a spec names; `nil` for `UNSET`, an empty or a missing mode (inherit from the parent).
    /// Unknown spellings are `nil` too: validation reports them.
    public init?(spec: String?) {
        guard let spec, spec != "UNSET", !spec.isEmpty else { return nil }
        self.init(rawValue: spec)
    }
}

/// Picks the effective PeerAuthentication mode of a workload the way Istio does: a workload-selector policy in
/// the workload's namespace (its `portLevelMtls` for the port, then its `mtls`) overrides the namespace-wide
/// policy (no selector), which overrides the mesh-wide one (root namespace, no selector); `UNSET` inherits,
/// and with nothing set the mode is PERMISSIVE.
///
/// Where Istio picks the oldest of several policies at one level, this picks the first by name (documents
/// carry no creation time).
public struct PeerAuthenticationResolver: Sendable {
    /// The answer: the mode and the policy that decided it (`namespace/name`), if one did.
    public struct Resolution: Sendable, Hashable {
        public var mode: MTLSMode
        public var policy: String?

        public init(mode: MTLSMode, policy: String?) {
            self.mode = mode
            self.policy = policy
        }
    }

    private struct Entry: Sendable {
        var namespace: String
        var name: String
        var spec: PeerAuthenticationSpec
        var hasSelector: Bool { !(spec.selector?.matchLabels ?? [:]).isEmpty }
    }

    private let entries: [Entry]
    public let rootNamespace: String

    /// `defaultNamespace` is used for policies without `metadata.namespace`.
    public init(
        policies: [Resource<PeerAuthenticationSpec>], rootNamespace: String = "istio-system",
        defaultNamespace: String = "default"
    ) {
        entries = policies
            .map { Entry(namespace: $0.namespace ?? defaultNamespace, name: $0.name, spec: $0.spec) }
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        self.rootNamespace = rootNamespace
    }

    /// Whether any policy was given.
    public var isEmpty: Bool { entries.isEmpty }

    /// The mode for traffic to `workload` on `port` (the workload port, as `portLevelMtls` keys it).
    public func resolve(for workload: Workload, port: Int?) -> Resolution {
        var result = Resolution(mode: .permissive, policy: nil)
        func apply(_ entry: Entry?, _ mode: MTLSMode?) {
            guard let entry, let mode else { return }
            result = Resolution(mode: mode, policy: "\(entry.namespace)/\(entry.name)")
        }
        let mesh = entries.first { $0.namespace == rootNamespace && !$0.hasSelector }
        apply(mesh, MTLSMode(spec: mesh?.spec.mtls?.mode))
        if workload.namespace != rootNamespace {
            let namespace = entries.first { $0.namespace == workload.namespace && !$0.hasSelector }
            apply(namespace, MTLSMode(spec: namespace?.spec.mtls?.mode))
        }
        let selected = entries.first {
            $0.namespace == workload.namespace && $0.hasSelector && ($0.spec.selector?.matches(workload.labels) ?? false)
        }
        apply(selected, MTLSMode(spec: selected?.spec.mtls?.mode))
        if let selected, let port, let portLevel = selected.spec.portLevelMtls?[String(port)] {
            apply(selected, MTLSMode(spec: portLevel.mode))
        }
        return result
    }
}

/// `AuthorizationPolicy.spec`: access control on workloads (Istio's RBAC).
public struct AuthorizationPolicySpec: Codable, Sendable, Equatable {
    public var selector: WorkloadSelector?
    public var targetRef: PolicyTargetReference?
    public var targetRefs: [PolicyTargetReference]?
    /// Rules; `nil` (no `rules` key) differs from `[]` only in what validation says.
    public var rules: [AuthorizationRule?]?
    /// `ALLOW` (the default), `DENY`, `AUDIT` or `CUSTOM`.
    public var action: String?
    /// The extension provider of a CUSTOM policy.
    public var provider: ExtensionProvider?

    public init(selector: WorkloadSelector? = nil, rules: [AuthorizationRule?]? = nil, action: String? = nil, provider: ExtensionProvider? = nil) {
        self.selector = selector
        self.rules = rules
        self.action = action
        self.provider = provider
    }
}

/// `provider: {name: …}` of a CUSTOM policy.
public struct ExtensionProvider: Codable, Sendable, Hashable {
    public var name: String?

    public init(name: String? = nil) {
        self.name = name
    }
}

/// One rule: a request matches when it matches any `from`, any `to` and every `when` (absent parts match all).
public struct AuthorizationRule: Codable, Sendable, Hashable {
    public var from: [RuleFrom?]?
    public var to: [RuleTo?]?
    public var when: [Condition?]?

    public init(from: [RuleFrom?]? = nil, to: [RuleTo?]? = nil, when: [Condition?]? = nil) {
        self.from = from
        self.to = to
        self.when = when
    }
}

/// `from: [{source: …}]`.
public struct RuleFrom: Codable, Sendable, Hashable {
    public var source: Source?

    public init(source: Source? = nil) {
        self.source = source
    }
}

/// `to: [{operation: …}]`.
public struct RuleTo: Codable, Sendable, Hashable {
    public var operation: Operation?

    public init(operation: Operation? = nil) {
        self.operation = operation
    }
}

/// Who sends the request. Fields are ANDed; the values of one field are ORed; `not*` fields match when none of
/// their values does.
public struct Source: Codable, Sendable, Hashable {
    public var principals: [String]?
    public var notPrincipals: [String]?
    public var requestPrincipals: [String]?
    public var notRequestPrincipals: [String]?
    public var namespaces: [String]?
    public var notNamespaces: [String]?
    public var serviceAccounts: [String]?
    public var notServiceAccounts: [String]?
    public var trustDomains: [String]?
    public var notTrustDomains: [String]?
    public var ipBlocks: [String]?
    public var notIpBlocks: [String]?
    public var remoteIpBlocks: [String]?
    public var notRemoteIpBlocks: [String]?

    public init() {}

    /// Whether no field is set (Istio rejects an empty source).
    public var isEmpty: Bool {
        [principals, notPrincipals, requestPrincipals, notRequestPrincipals, namespaces, notNamespaces, serviceAccounts,
         notServiceAccounts, trustDomains, notTrustDomains, ipBlocks, notIpBlocks, remoteIpBlocks, notRemoteIpBlocks]
            .allSatisfy { ($0 ?? []).isEmpty }
    }
}

/// What the request does. Fields are ANDed; values of one field ORed; `not*` fields negate.
public struct Operation: Codable, Sendable, Hashable {
    public var hosts: [String]?
    public var notHosts: [String]?
    public var ports: [String]?
    public var notPorts: [String]?
    public var methods: [String]?
    public var notMethods: [String]?
    public var paths: [String]?
    public var notPaths: [String]?

    public init(hosts: [String]? = nil, ports: [String]? = nil, methods: [String]? = nil, paths: [String]? = nil) {
        self.hosts = hosts
        self.ports = ports
        self.methods = methods
        self.paths = paths
    }

    /// Whether no field is set (Istio rejects an empty operation).
    public var isEmpty: Bool {
        [hosts, notHosts, ports, notPorts, methods, notMethods, paths, notPaths].allSatisfy { ($0 ?? []).isEmpty }
    }
}

/// A `when` condition: an attribute key and the values it must (or must not) have.
public struct Condition: Codable, Sendable, Hashable {
    public var key: String?
    public var values: [String]?
    public var notValues: [String]?

    public init(key: String? = nil, values: [String]? = nil, notValues: [String]? = nil) {
        self.key = key
        self.values = values
        self.notValues = notValues
    }
}

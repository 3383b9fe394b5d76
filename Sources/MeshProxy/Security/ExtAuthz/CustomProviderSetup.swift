import MeshPolicy

/// Which ext-authz provider a workload's CUSTOM policies use, decided as istiod decides it: they must all name
/// one provider, and it must be configured. Otherwise there is none, and `problem` says why — matching requests
/// are then denied (fail closed), never let through.
struct CustomProviderSetup {
    private(set) var provider: ExtAuthzProvider?
    private(set) var problem: String?

    init(security: SecurityConfig) {
        let custom = security.authorizationPolicies.filter {
            !$0.dryRun && $0.reference.action == .custom
                && $0.scopeMismatch(for: security.workload, rootNamespace: security.rootNamespace) == nil
        }
        let names = Set(custom.map { $0.provider ?? "" }).sorted()
        guard let first = names.first else { return }
        let quoted = names.map { "\"\($0)\"" }.joined(separator: ", ")
        let configured = security.extensionProviders.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        if security.extensionProviders.isEmpty {
            problem = "ext-authz provider \(quoted) is not supported: no extension provider is configured (ProxyBootstrap spec.meshConfig.extensionProviders)"
        } else if names.count > 1 {
            problem = "only 1 ext-authz provider can be used per workload, found \(quoted)"
        } else if let provider = security.extensionProviders[first] {
            self.provider = provider
        } else {
            problem = "unknown ext-authz provider \(quoted) (configured: \(configured))"
        }
    }
}

import MeshCore
import MeshPolicy

/// AuthorizationPolicy enforcement for inbound traffic: MeshPolicy's compiled engine, built once per config
/// for the proxy's workload, plus Envoy's `rbac.allowed`/`rbac.denied` counters and AUDIT log lines.
final class InboundAuthorizer: Sendable {
    /// What happens to a request or connection.
    enum Outcome: Equatable {
        case allowed
        /// Refused: the body Envoy sends (`RBAC: access denied`) or why a CUSTOM policy refused.
        case denied(String)
    }

    /// Envoy's body for a request its RBAC filter denies.
    static let deniedBody = "RBAC: access denied"

    let engine: AuthorizationEngine
    private let stats: ProxyStats

    /// `nil` when no AuthorizationPolicy applies to the workload (nothing to enforce, no cost per request).
    init?(security: SecurityConfig, stats: ProxyStats) {
        // No ext-authz provider can be configured yet: a matching CUSTOM policy denies, and says why.
        let engine = AuthorizationEngine(
            policies: security.authorizationPolicies, workload: security.workload,
            rootNamespace: security.rootNamespace, customProviderAllows: { _ in false })
        guard !engine.isEmpty else { return nil }
        self.engine = engine
        self.stats = stats
    }

    /// The outcome for `request`; counts it and logs AUDIT matches on standard error.
    func check(_ request: AuthzRequest) -> Outcome {
        let prepared = PreparedRequest(request)
        let verdict = engine.decide(prepared)
        if !engine.auditPolicies.isEmpty, let audited = engine.audit(prepared) {
            Self.logAudit(audited, request: request, allowed: verdict.allowed)
        }
        if verdict.allowed {
            stats.rbacAllowed.add(1, ordering: .relaxed)
            return .allowed
        }
        stats.rbacDenied.add(1, ordering: .relaxed)
        if verdict.policyIndex >= 0, verdict.policyIndex < engine.policies.count {
            let policy = engine.policies[verdict.policyIndex]
            if policy.reference.action == .custom {
                return .denied(
                    "\(Self.deniedBody): CUSTOM policy \(policy.reference) needs ext-authz provider \"\(policy.provider ?? "")\", which meshctl proxy does not support yet")
            }
        }
        return .denied(Self.deniedBody)
    }

    private static func logAudit(_ policy: PolicyReference, request: AuthzRequest, allowed: Bool) {
        var line: Value.Object = [
            "rbac": "audit", "policy": .string(policy.description), "allowed": .bool(allowed),
            "source_principal": .string(request.sourcePrincipal ?? ""), "source_ip": .string(request.sourceIP ?? ""),
        ]
        if let port = request.port { line["destination_port"] = .int(port) }
        if let method = request.method { line["method"] = .string(method) }
        if let path = request.path { line["path"] = .string(path) }
        StandardError.write(JSON.emit(.object(line)) + "\n")
    }
}

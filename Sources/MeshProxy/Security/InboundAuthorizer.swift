import MeshCore
import MeshPolicy
import Synchronization

/// AuthorizationPolicy enforcement for inbound traffic: MeshPolicy's compiled engine, built once per config
/// for the proxy's workload, plus Envoy's `rbac.allowed`/`rbac.denied` counters and AUDIT log lines. A request
/// matching a CUSTOM policy goes to the policy's ext-authz provider first (`askProvider`); only when that allows
/// do DENY and ALLOW policies decide (`checkAfterProvider`).
final class InboundAuthorizer: Sendable {
    /// What happens to a request or connection.
    enum Outcome {
        case allowed
        /// Refused: the body Envoy sends (`RBAC: access denied`) or why a CUSTOM policy refused.
        case denied(String)
        /// A CUSTOM policy matched: ask its provider, then call `checkAfterProvider` if it allows.
        case askProvider(ExtAuthzClient)
    }

    /// Envoy's body for a request its RBAC filter denies.
    static let deniedBody = "RBAC: access denied"

    let engine: AuthorizationEngine
    private let stats: ProxyStats

    /// Dry-run (`istio.io/dry-run`) ALLOW and DENY policies, each set evaluated as if enforced — Istio's shadow
    /// RBAC filters — with verdicts only counted (`rbac.istio_dry_run_{allow,deny}_shadow_{allowed,denied}`).
    let shadowAllow: AuthorizationEngine?
    let shadowDeny: AuthorizationEngine?
    private let shadowCounters: ShadowCounters
    /// The provider of the workload's CUSTOM policies, when they name one configured provider.
    private let extAuthz: ExtAuthzClient?
    /// Why a matching CUSTOM policy denies when there is no usable provider.
    private let customRefusal: String
    /// AUDIT lines go to its `rbac` logger.
    private let log: ProxyLog

    /// `nil` when no AuthorizationPolicy applies to the workload (nothing to enforce, no cost per request).
    init?(security: SecurityConfig, stats: ProxyStats, log: ProxyLog) {
        let setup = CustomProviderSetup(security: security)
        if let problem = setup.problem { log.write("ext_authz", .warning, "ext-authz: \(problem)") }
        self.log = log
        extAuthz = setup.provider.map { ExtAuthzClient(provider: $0, stats: stats) }
        customRefusal = setup.problem ?? ""
        // A matching CUSTOM policy passes here only when its provider is usable (and was asked already).
        let usable = setup.provider?.name
        let engine = AuthorizationEngine(
            policies: security.authorizationPolicies, workload: security.workload,
            rootNamespace: security.rootNamespace, customProviderAllows: { $0 == usable })
        func shadow(_ action: AuthorizationAction) -> AuthorizationEngine? {
            let dryRun = security.authorizationPolicies.filter { $0.dryRun && $0.reference.action == action }.map(\.enforced)
            let shadow = AuthorizationEngine(policies: dryRun, workload: security.workload, rootNamespace: security.rootNamespace)
            return shadow.isEmpty ? nil : shadow
        }
        shadowAllow = shadow(.allow)
        shadowDeny = shadow(.deny)
        guard !engine.isEmpty || shadowAllow != nil || shadowDeny != nil else { return nil }
        self.engine = engine
        self.stats = stats
        self.shadowCounters = ShadowCounters()
    }

    /// The shadow verdict counters, by Envoy's stat names.
    final class ShadowCounters: Sendable {
        let allowAllowed = Atomic<Int>(0)
        let allowDenied = Atomic<Int>(0)
        let denyAllowed = Atomic<Int>(0)
        let denyDenied = Atomic<Int>(0)
    }

    /// `/stats` names and values of the shadow verdicts.
    var shadowValues: [(String, Int)] {
        guard shadowAllow != nil || shadowDeny != nil else { return [] }
        return [
            ("rbac.istio_dry_run_allow_shadow_allowed", shadowCounters.allowAllowed.load(ordering: .relaxed)),
            ("rbac.istio_dry_run_allow_shadow_denied", shadowCounters.allowDenied.load(ordering: .relaxed)),
            ("rbac.istio_dry_run_deny_shadow_allowed", shadowCounters.denyAllowed.load(ordering: .relaxed)),
            ("rbac.istio_dry_run_deny_shadow_denied", shadowCounters.denyDenied.load(ordering: .relaxed)),
        ]
    }

    /// The outcome for `request`: `askProvider` when it matches a CUSTOM policy with a usable provider, else
    /// the verdict, counted, with AUDIT matches logged on standard error.
    func check(_ request: AuthzRequest) -> Outcome {
        let prepared = PreparedRequest(request)
        countShadowVerdicts(prepared)
        if let extAuthz, engine.matchingCustomPolicy(prepared) != nil { return .askProvider(extAuthz) }
        return enforce(prepared, request)
    }

    /// The outcome of the DENY and ALLOW policies for a request the CUSTOM provider allowed.
    func checkAfterProvider(_ request: AuthzRequest) -> Outcome {
        enforce(PreparedRequest(request), request)
    }

    private func countShadowVerdicts(_ prepared: PreparedRequest) {
        if let shadowAllow {
            if shadowAllow.decide(prepared).allowed {
                shadowCounters.allowAllowed.add(1, ordering: .relaxed)
            } else {
                shadowCounters.allowDenied.add(1, ordering: .relaxed)
            }
        }
        if let shadowDeny {
            if shadowDeny.decide(prepared).allowed {
                shadowCounters.denyAllowed.add(1, ordering: .relaxed)
            } else {
                shadowCounters.denyDenied.add(1, ordering: .relaxed)
            }
        }
    }

    private func enforce(_ prepared: PreparedRequest, _ request: AuthzRequest) -> Outcome {
        guard !engine.isEmpty else { return .allowed }
        let verdict = engine.decide(prepared)
        if !engine.auditPolicies.isEmpty, let audited = engine.audit(prepared) {
            logAudit(audited, request: request, allowed: verdict.allowed)
        }
        if verdict.allowed {
            stats.rbacAllowed.add(1, ordering: .relaxed)
            return .allowed
        }
        stats.rbacDenied.add(1, ordering: .relaxed)
        if verdict.policyIndex >= 0, verdict.policyIndex < engine.policies.count {
            let policy = engine.policies[verdict.policyIndex]
            if policy.reference.action == .custom {
                return .denied("\(Self.deniedBody): CUSTOM policy \(policy.reference): \(customRefusal)")
            }
        }
        return .denied(Self.deniedBody)
    }

    private func logAudit(_ policy: PolicyReference, request: AuthzRequest, allowed: Bool) {
        var line: Value.Object = [
            "rbac": "audit", "policy": .string(policy.description), "allowed": .bool(allowed),
            "source_principal": .string(request.sourcePrincipal ?? ""), "source_ip": .string(request.sourceIP ?? ""),
        ]
        if let port = request.port { line["destination_port"] = .int(port) }
        if let method = request.method { line["method"] = .string(method) }
        if let path = request.path { line["path"] = .string(path) }
        log.write("rbac", .info, JSON.emit(.object(line)))
    }
}

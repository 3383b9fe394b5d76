import MeshCore
import MeshPolicy
import Testing

/// Istio's PeerAuthentication precedence: workload selector (port level first) › namespace › mesh-wide, UNSET
/// inherits, PERMISSIVE when nothing is set.
@Suite struct PeerAuthenticationResolverTests {
    static func policy(_ namespace: String, _ name: String, mode: String?, selector: [String: String]? = nil, ports: [String: String] = [:]) -> Resource<PeerAuthenticationSpec> {
        var spec = PeerAuthenticationSpec(selector: selector.map { WorkloadSelector(matchLabels: $0) }, mtls: mode.map { MutualTLS(mode: $0) })
        if !ports.isEmpty { spec.portLevelMtls = ports.mapValues { MutualTLS(mode: $0) } }
        return Resource(kind: .peerAuthentication, metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
    }

    let workload = Workload(namespace: "shop", labels: ["app": "web"])

    @Test func nothingSetIsPermissive() {
        let resolution = PeerAuthenticationResolver(policies: []).resolve(for: workload, port: 8080)
        #expect(resolution == .init(mode: .permissive, policy: nil))
    }

    @Test func meshWideAppliesToEveryNamespace() {
        let resolver = PeerAuthenticationResolver(policies: [Self.policy("istio-system", "default", mode: "STRICT")])
        #expect(resolver.resolve(for: workload, port: nil) == .init(mode: .strict, policy: "istio-system/default"))
    }

    @Test func namespaceOverridesMeshAndUnsetInherits() {
        let mesh = Self.policy("istio-system", "default", mode: "STRICT")
        let namespace = Self.policy("shop", "ns", mode: "PERMISSIVE")
        #expect(PeerAuthenticationResolver(policies: [mesh, namespace]).resolve(for: workload, port: nil).mode == .permissive)
        let unset = Self.policy("shop", "ns", mode: "UNSET")
        #expect(PeerAuthenticationResolver(policies: [mesh, unset]).resolve(for: workload, port: nil).mode == .strict)
        let other = Self.policy("other", "ns", mode: "DISABLE")
        #expect(PeerAuthenticationResolver(policies: [mesh, other]).resolve(for: workload, port: nil).mode == .strict)
    }

    @Test func workloadSelectorOverridesNamespaceAndPortLevelOverridesBoth() {
        let namespace = Self.policy("shop", "ns", mode: "STRICT")
        let web = Self.policy("shop", "web", mode: nil, selector: ["app": "web"], ports: ["8080": "DISABLE"])
        let resolver = PeerAuthenticationResolver(policies: [namespace, web])
        #expect(resolver.resolve(for: workload, port: 8080) == .init(mode: .disable, policy: "shop/web"))
        #expect(resolver.resolve(for: workload, port: 9090) == .init(mode: .strict, policy: "shop/ns"))
        let api = Workload(namespace: "shop", labels: ["app": "api"])
        #expect(resolver.resolve(for: api, port: 8080).mode == .strict)
    }

    @Test func aSelectorInTheRootNamespaceIsNotMeshWide() {
        let rootSelector = Self.policy("istio-system", "web", mode: "STRICT", selector: ["app": "web"])
        #expect(PeerAuthenticationResolver(policies: [rootSelector]).resolve(for: workload, port: nil).mode == .permissive)
    }

    @Test func auditPoliciesAreReportedAndNeverDecide() throws {
        let value = try YAML.parse("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: audit-admin, namespace: shop}
            spec:
              action: AUDIT
              rules: [{to: [{operation: {paths: [/admin]}}]}]
            """)
        guard case .authorizationPolicy(let resource)? = try MeshResource.decode(value) else {
            Issue.record("not an AuthorizationPolicy")
            return
        }
        let engine = AuthorizationEngine(policies: [try CompiledPolicy(resource)], workload: workload)
        #expect(!engine.isEmpty)
        let admin = PreparedRequest(AuthzRequest(method: "GET", path: "/admin"))
        #expect(engine.audit(admin)?.description == "shop/audit-admin")
        #expect(engine.decide(admin).allowed)
        #expect(engine.audit(PreparedRequest(AuthzRequest(method: "GET", path: "/"))) == nil)
        #expect(AuthorizationEngine(policies: [], workload: workload).isEmpty)
    }
}

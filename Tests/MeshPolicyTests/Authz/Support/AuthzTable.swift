import MeshCore
import MeshPolicy
import Testing

/// One row of the authorization table: policies, a request, and the verdict Istio's semantics give.
struct AuthzCase: Sendable, CustomTestStringConvertible {
    let name: String
    let policies: [String]
    let request: AuthzRequest
    var workload = Workload(namespace: "foo", labels: ["app": "httpbin", "version": "v1"])
    let expected: AuthorizationDecision.Verdict
    /// `namespace/name` of the deciding policy, or nil when none decides.
    var policy: String?
    var rule: Int?
    var providerAllows = true

    var testDescription: String { name }
}

/// Builds policy documents and runs table rows through both the explaining evaluator and the compiled engine.
enum AuthzTable {
    static let sleep = "cluster.local/ns/foo/sa/sleep"
    static let client = "cluster.local/ns/bar/sa/client"

    /// An AuthorizationPolicy document; `spec` is YAML flow-mapping content.
    static func policy(_ name: String, _ action: String, _ spec: String = "", namespace: String = "foo", annotations: String = "") -> String {
        let body = spec.isEmpty ? "action: \(action)" : "action: \(action), \(spec)"
        let meta = annotations.isEmpty ? "" : ", annotations: {\(annotations)}"
        return """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: \(name), namespace: \(namespace)\(meta)}
            spec: {\(body)}
            """
    }

    /// An ALLOW policy selecting app=httpbin with the given rules (flow YAML).
    static func allow(_ rules: String, name: String = "allow") -> String {
        policy(name, "ALLOW", "selector: {matchLabels: {app: httpbin}}, rules: \(rules)")
    }

    /// A DENY policy selecting app=httpbin with the given rules (flow YAML).
    static func deny(_ rules: String, name: String = "deny") -> String {
        policy(name, "DENY", "selector: {matchLabels: {app: httpbin}}, rules: \(rules)")
    }

    static func get(_ path: String = "/", principal: String? = sleep, host: String = "httpbin.foo", port: Int = 8000, headers: [String: String] = [:], ip: String = "10.0.0.5", remoteIP: String? = nil, requestPrincipal: String? = nil, claims: Value? = nil, method: String = "GET", sni: String? = nil, destinationIP: String? = nil) -> AuthzRequest {
        AuthzRequest(method: method, path: path, host: host, port: port, headers: headers, sourcePrincipal: principal, sourceIP: ip, remoteIP: remoteIP, destinationIP: destinationIP, requestPrincipal: requestPrincipal, claims: claims, sni: sni)
    }

    static func tcp(port: Int = 9000, principal: String? = sleep, ip: String = "10.0.0.5") -> AuthzRequest {
        AuthzRequest(port: port, sourcePrincipal: principal, sourceIP: ip)
    }

    static func compile(_ documents: [String]) throws -> [CompiledPolicy] {
        try documents.flatMap { try YAML.parseDocuments($0) }.map { value in
            guard case .authorizationPolicy(let resource)? = try MeshResource.decode(value) else {
                throw PolicyError("not an AuthorizationPolicy")
            }
            return try CompiledPolicy(resource)
        }
    }

    /// Runs one row: the evaluator's verdict, deciding policy and rule, and the engine's verdict must agree with it.
    static func check(_ row: AuthzCase) throws {
        let policies = try compile(row.policies)
        let allows = row.providerAllows
        let evaluator = AuthorizationEvaluator(policies: policies, customProviderAllows: { _ in allows })
        let decision = evaluator.evaluate(row.request, for: row.workload)
        #expect(decision.verdict == row.expected, "\(row.name): \(decision.reason)")
        #expect(decision.policy?.description == row.policy, "\(row.name): \(decision.reason)")
        #expect(decision.rule == row.rule, "\(row.name): \(decision.reason)")
        // The engine scanning every rule, and the engine using its index even for one rule.
        for threshold in [Int.max, 0] {
            let engine = AuthorizationEngine(policies: policies, workload: row.workload, customProviderAllows: { _ in allows }, indexThreshold: threshold)
            let verdict = engine.decide(row.request)
            #expect(verdict.allowed == (row.expected == .allow), "\(row.name): the compiled engine disagrees (index threshold \(threshold))")
            if verdict.policyIndex >= 0 {
                #expect(engine.policies[verdict.policyIndex].reference == decision.policy, "\(row.name): engine decided by another policy")
            } else {
                #expect(decision.policy == nil)
            }
        }
    }
}

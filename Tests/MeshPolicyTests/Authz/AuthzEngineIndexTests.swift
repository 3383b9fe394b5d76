import MeshCore
import MeshPolicy
import Testing

/// The engine's rule index must never change a verdict: many generated policies on one workload, many requests,
/// the indexed engine against the full scan and the explaining evaluator.
@Suite struct AuthzEngineIndexTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
    }

    static let methods = ["GET", "POST", "PUT", "DELETE"]

    static func operation(_ random: inout Generator) -> Value {
        var operation: Value.Object = [:]
        switch random.next(4) {
        case 0: operation["methods"] = .array((0...random.next(2)).map { _ in .string(random.pick(methods)) })
        case 1: operation["notMethods"] = [.string(random.pick(methods))]
        case 2: operation["methods"] = ["*"]
        default: break
        }
        switch random.next(6) {
        case 0: operation["paths"] = [.string("/api/v\(random.next(3))/res-\(random.next(20))")]
        case 1: operation["paths"] = [.string("/api/v\(random.next(3))/res-\(random.next(20))*"), .string("/a*")]
        case 2: operation["paths"] = [.string("/api/{*}/res-\(random.next(20))/item")]
        case 3: operation["notPaths"] = [.string("/api/v\(random.next(3))*")]
        case 4: operation["paths"] = [.string("*/item")]
        default: break
        }
        if random.next(2) == 0 { operation["ports"] = .array((0...random.next(2)).map { _ in .string(String(8000 + random.next(3))) }) }
        return operation.isEmpty ? ["operation": ["hosts": ["*"]]] : ["operation": .object(operation)]
    }

    static func policies(_ count: Int) throws -> [CompiledPolicy] {
        var random = Generator(state: 11)
        return try (0..<count).map { index in
            var rule: Value.Object = [:]
            let to = random.next(5) > 0
            if to { rule["to"] = .array((0...random.next(2)).map { _ in operation(&random) }) }
            switch to ? random.next(5) : random.next(3) {
            case 0: rule["from"] = [["source": ["namespaces": [.string("ns-\(random.next(4))")]]]]
            case 1: rule["when"] = [["key": "destination.port", "values": [.string(String(8000 + random.next(3)))]]]
            case 2: rule["when"] = [["key": "request.auth.claims[groups]", "values": [.string("g-\(random.next(5))")]]]
            default: break
            }
            let action = random.pick(["ALLOW", "ALLOW", "ALLOW", "DENY", "CUSTOM", "AUDIT"])
            if action == "DENY" || action == "CUSTOM" {
                // Narrow enough that many requests get past them to the ALLOW policies.
                rule["from"] = [["source": ["requestPrincipals": [.string("https://idp/u-\(random.next(count / 8 + 3))")]]]]
            }
            var spec: Value.Object = ["action": .string(action), "rules": [.object(rule)]]
            if action == "CUSTOM" { spec["provider"] = ["name": .string(random.pick(["yes", "no"]))] }
            let value: Value = ["apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": ["name": .string("p-\(index)"), "namespace": "foo"], "spec": .object(spec)]
            guard case .authorizationPolicy(let resource)? = try MeshResource.decode(value) else { throw PolicyError("not a policy") }
            return try CompiledPolicy(resource)
        }
    }

    static func requests(_ count: Int) -> [AuthzRequest] {
        var random = Generator(state: 5)
        return (0..<count).map { _ in
            let principal = "cluster.local/ns/ns-\(random.next(4))/sa/x"
            if random.next(10) == 0 { return AuthzRequest(port: 8000 + random.next(3), sourcePrincipal: principal) }
            let path = random.pick(["/api/v\(random.next(3))/res-\(random.next(20))", "/api/v\(random.next(3))/res-\(random.next(20))/item", "/a", "/", "/api/v1/res-1?x=1"])
            return AuthzRequest(method: random.pick(methods + ["PATCH"]), path: path, port: random.next(4) == 0 ? nil : 8000 + random.next(3),
                                sourcePrincipal: principal, requestPrincipal: "https://idp/u-\(random.next(5))", claims: ["groups": [.string("g-\(random.next(5))")]])
        }
    }

    @Test(arguments: [40, 400]) func indexedEngineDecidesLikeAFullScan(policyCount: Int) throws {
        let policies = try Self.policies(policyCount)
        let workload = Workload(namespace: "foo", labels: [:])
        let allows: @Sendable (String) -> Bool = { $0 == "yes" }
        let indexed = AuthorizationEngine(policies: policies, workload: workload, customProviderAllows: allows, indexThreshold: 0)
        let scanning = AuthorizationEngine(policies: policies, workload: workload, customProviderAllows: allows, indexThreshold: .max)
        let evaluator = AuthorizationEvaluator(policies: policies, customProviderAllows: allows)
        var allowed = 0
        for request in Self.requests(2_000) {
            let verdict = indexed.decide(request)
            #expect(verdict == scanning.decide(request), "\(request)")
            let decision = evaluator.evaluate(request, for: workload)
            #expect(verdict.allowed == decision.isAllowed, "\(request): \(decision.reason)")
            if verdict.allowed { allowed += 1 }
        }
        // Both outcomes occur, so the comparison means something.
        #expect(allowed > 30 && allowed < 1_970, "\(allowed) allowed")
    }
}

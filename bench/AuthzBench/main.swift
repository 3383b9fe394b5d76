import Foundation
import MeshCore
import MeshPolicy

/// Decisions per second of the compiled engine: 1,000 policies × 100,000 requests. Prints figures, asserts
/// nothing about time (see bench/authz.sh).
enum AuthzBenchmarks {
    /// A small deterministic generator (no clock, no system randomness).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let namespaces = (0..<20).map { "ns-\($0)" }
    static let apps = (0..<50).map { "app-\($0)" }
    static let methods = ["GET", "POST", "PUT", "DELETE"]

    /// `count` policies; `scoped` puts them all in one namespace without selectors (all apply to every workload there).
    static func policies(_ count: Int, scoped: Bool) throws -> [CompiledPolicy] {
        var random = Generator(state: 42)
        return try (0..<count).map { index in
            let namespace = scoped ? "ns-0" : namespaces[random.next(namespaces.count)]
            let action = random.next(10) < 2 ? "DENY" : "ALLOW"
            var rule: Value.Object = [:]
            switch random.next(4) {
            case 0: rule["from"] = [["source": ["principals": [.string("cluster.local/ns/\(namespaces[random.next(20)])/sa/sa-\(random.next(30))")]]]]
            case 1: rule["from"] = [["source": ["namespaces": [.string(namespaces[random.next(20)])], "ipBlocks": [.string("10.\(random.next(255)).0.0/16")]]]]
            case 2: rule["when"] = [["key": "request.auth.claims[groups]", "values": [.string("group-\(random.next(40))")]]]
            default: rule["from"] = [["source": ["notNamespaces": [.string(namespaces[random.next(20)])]]]]
            }
            rule["to"] = [["operation": [
                "methods": [.string(methods[random.next(4)])], "paths": [.string("/api/v\(random.next(3))/res-\(random.next(100))*")],
                "ports": [.string(String(8000 + random.next(4)))],
            ]]]
            var spec: Value.Object = ["action": .string(action), "rules": [.object(rule)]]
            if !scoped { spec["selector"] = ["matchLabels": ["app": .string(apps[random.next(apps.count)])]] }
            let value: Value = ["apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": ["name": .string("p-\(index)"), "namespace": .string(namespace)], "spec": .object(spec)]
            guard case .authorizationPolicy(let resource)? = try MeshResource.decode(value) else { throw PolicyError("generated policy did not decode") }
            return try CompiledPolicy(resource)
        }
    }

    static func requests(_ count: Int, scoped: Bool) -> [(Workload, AuthzRequest)] {
        var random = Generator(state: 7)
        return (0..<count).map { _ in
            let workload = Workload(namespace: scoped ? "ns-0" : namespaces[random.next(namespaces.count)], labels: ["app": apps[random.next(apps.count)]])
            let request = AuthzRequest(
                method: methods[random.next(4)], path: "/api/v\(random.next(3))/res-\(random.next(100))/item", host: "svc.example.com",
                port: 8000 + random.next(4), sourcePrincipal: "cluster.local/ns/\(namespaces[random.next(20)])/sa/sa-\(random.next(30))",
                sourceIP: "10.\(random.next(255)).1.2", claims: ["iss": "https://idp", "sub": "u", "groups": [.string("group-\(random.next(40))")]])
            return (workload, request)
        }
    }

    static func measure(_ label: String, policies: [CompiledPolicy], requests: [(Workload, AuthzRequest)]) {
        var engines: [AuthorizationEngine] = []
        var engineOf: [Workload: Int] = [:]
        let compileStart = ContinuousClock.now
        for (workload, _) in requests where engineOf[workload] == nil {
            engineOf[workload] = engines.count
            engines.append(AuthorizationEngine(policies: policies, workload: workload))
        }
        let compileTime = ContinuousClock.now - compileStart
        // What a proxy holds: its workload's engine and each request, prepared once; the loop borrows both.
        let engineIndex = requests.map { engineOf[$0.0]! }
        let prepared = requests.map { PreparedRequest($0.1) }
        let inScope = Double(engines.map(\.policies.count).reduce(0, +)) / Double(max(engines.count, 1))
        var allowed = 0
        let start = ContinuousClock.now
        engines.withUnsafeBufferPointer { engines in
            prepared.withUnsafeBufferPointer { prepared in
                engineIndex.withUnsafeBufferPointer { engineIndex in
                    for position in prepared.indices where engines[engineIndex[position]].decide(prepared[position]).allowed { allowed += 1 }
                }
            }
        }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        // AUTHZ_PROFILE=N repeats only the decision loop N times, for `perf record`.
        if let repeats = ProcessInfo.processInfo.environment["AUTHZ_PROFILE"].flatMap(Int.init) {
            engines.withUnsafeBufferPointer { engines in
                prepared.withUnsafeBufferPointer { prepared in
                    for _ in 0..<repeats {
                        for position in prepared.indices where engines[engineIndex[position]].decide(prepared[position]).allowed { allowed += 0 }
                    }
                }
            }
            return
        }
        let withPrepare = ContinuousClock.now
        engines.withUnsafeBufferPointer { engines in
            for position in requests.indices where engines[engineIndex[position]].decide(PreparedRequest(requests[position].1)).allowed { allowed += 0 }
        }
        let elapsedWithPrepare = (ContinuousClock.now - withPrepare) / .seconds(1)
        let evaluator = AuthorizationEvaluator(policies: policies)
        let explainCount = min(requests.count, 2_000)
        let explainStart = ContinuousClock.now
        for (workload, request) in requests.prefix(explainCount) where evaluator.evaluate(request, for: workload).isAllowed { allowed += 0 }
        let explainElapsed = (ContinuousClock.now - explainStart) / .seconds(1)
        func rate(_ n: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(n) / seconds) }
        print("authz \(label): \(policies.count) policies, \(requests.count) requests, \(engines.count) workloads, \(String(format: "%.1f", inScope)) policies in scope on average, \(allowed) allowed")
        print("authz \(label): compiled engine \(rate(requests.count, elapsed)) decisions/s (prepared requests); \(rate(requests.count, elapsedWithPrepare)) decisions/s including request preparation")
        print("authz \(label): per-workload compile \(compileTime); explaining evaluator \(rate(explainCount, explainElapsed)) decisions/s")
    }

    static func run() throws {
        measure("mesh", policies: try policies(1_000, scoped: false), requests: requests(100_000, scoped: false))
        measure("one-namespace", policies: try policies(1_000, scoped: true), requests: requests(100_000, scoped: true))
    }
}

try AuthzBenchmarks.run()

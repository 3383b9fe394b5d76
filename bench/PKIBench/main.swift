// Workload issuance rate of MeshPKI (ECDSA P-256 workload keys), in-process, for bench/pki.sh.
//   pki-bench [COUNT]
import Foundation
import MeshPKI

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 2000
let identity = try SPIFFEID(parsing: "spiffe://cluster.local/ns/default/sa/bench")
let generator = CAGenerator()

for (label, caKey) in [("RSA-4096 CA (Istio default)", KeySpec.rsa4096), ("ECDSA P-256 CA", KeySpec.p256)] {
    var rootProfile = CAProfile.istioRoot
    rootProfile.key = caKey
    var profile = CAProfile.istioIntermediate(cluster: "bench")
    profile.key = caKey
    let root = try generator.makeRoot(rootProfile)
    let ca = try generator.makeIntermediate(profile, signedBy: root)
    let issuer = WorkloadIssuer(ca: ca)
    _ = try issuer.issue(for: identity)  // warm-up
    let clock = ContinuousClock()
    var last: IssuedWorkload?
    let elapsed = try clock.measure {
        for _ in 0..<count {
            last = try issuer.issue(for: identity, ttl: 86_400, key: .p256)
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    precondition(last != nil)
    print(String(format: "workload issuance, %@: %d certificates in %.3f s = %.0f/s (%.3f ms each)",
                 label, count, seconds, Double(count) / seconds, seconds * 1000 / Double(count)))
}

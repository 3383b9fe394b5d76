import Foundation
import MeshTestSupport

/// The mesh PKI as the real `meshctl pki` makes it: an ECDSA root CA, a cluster intermediate signed by it, and
/// workload certificates issued by the intermediate (empty subject, SPIFFE URI SAN, serverAuth + clientAuth),
/// each in `NAME/cert-chain.pem` (leaf, intermediate, root) with `NAME/key.pem`. `intruder` gets an identity in
/// namespace `other`, every other name one in `default`.
struct MeshctlPKI: WorkloadIdentities {
    let directory: URL

    static func make(workloads: [String]) throws -> MeshctlPKI {
        let pki = MeshctlPKI(directory: try TestTools.temporaryDirectory())
        try pki.pki(["root-ca", "--out", "root", "--key-type", "ecdsa"])
        try pki.pki(["intermediate-ca", "--root", "root", "--cluster", "cluster1", "--out", "cluster1", "--key-type", "ecdsa"])
        for name in workloads { try pki.issue(name) }
        return pki
    }

    /// Issues a certificate for `name`'s identity into the directory `into` (default: `name`), replacing one
    /// that is there.
    func issue(_ name: String, into subdirectory: String? = nil) throws {
        let namespace = name == "intruder" ? "other" : "default"
        try pki([
            "issue", "--ca", "cluster1", "--spiffe", "spiffe://cluster.local/ns/\(namespace)/sa/\(name)",
            "--out", subdirectory ?? name, "--force",
        ])
    }

    func identity(_ name: String) -> IdentityFiles {
        IdentityFiles(certificate: file("\(name)/cert-chain.pem"), key: file("\(name)/key.pem"), ca: file("root/root-cert.pem"))
    }

    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func pki(_ arguments: [String]) throws {
        try TestTools.run(ProxyProcess.meshctl, ["pki"] + arguments, in: directory)
    }
}

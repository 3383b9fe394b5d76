/// A workload's certificate (chain), key and mesh root, as ProxyBootstrap `spec.identity` names them.
struct IdentityFiles {
    let certificate: String
    let key: String
    let ca: String

    /// The `spec.identity` value, in YAML flow style.
    var yaml: String { "{certificate: \(certificate), key: \(key), ca: \(ca)}" }
}

/// Test PKIs that hold one identity per workload name (`backend`, `frontend`, `intruder`, …).
protocol WorkloadIdentities {
    func identity(_ name: String) -> IdentityFiles
}

extension SpiffePKI: WorkloadIdentities {
    func identity(_ name: String) -> IdentityFiles {
        IdentityFiles(certificate: file("\(name).crt"), key: file("\(name).key"), ca: file("ca.crt"))
    }
}

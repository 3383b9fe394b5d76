import X509

/// How the roots of a new bundle relate to the roots a mesh trusts today.
///
/// Replacing the root at once breaks mTLS between workloads holding certificates from the old and the new root,
/// so `plug-ca` refuses a `different` root unless told otherwise, and explains the multi-root rotation.
public enum RootChange: Sendable, Equatable {
    /// The same set of roots.
    case same
    /// The sets share at least one root (a step of a multi-root rotation: adding or retiring a root).
    case overlapping
    /// No root in common: workloads of the old and new CA would not trust each other.
    case different

    /// Compares the roots now trusted with the new ones.
    public init(current: [Certificate], new: [Certificate]) {
        let old = Set(current), fresh = Set(new)
        if old == fresh {
            self = .same
        } else if !old.isDisjoint(with: fresh) {
            self = .overlapping
        } else {
            self = .different
        }
    }

    /// What to do instead of replacing a root at once.
    public static let rotationAdvice = """
        Workloads trust only the current root, so replacing it at once breaks mTLS between workloads that hold \
        certificates from the old and the new root until every workload has restarted. Rotate in steps instead: \
        (1) plug in a bundle whose root-cert.pem holds both the old and the new root, still signing with the old \
        intermediate, and restart istiod and the workloads so every proxy trusts both roots; (2) plug in the new \
        intermediate (signed by the new root) with the same combined root-cert.pem, and restart so workloads get \
        new certificates; (3) remove the old root from root-cert.pem. Use --allow-root-change to replace the root \
        anyway.
        """
}

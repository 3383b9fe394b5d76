import MeshCore
import X509

/// The outcome of verifying a certificate against roots: a value, not an error, because a chain that does not
/// verify is an expected answer (`meshctl pki verify` exits 79 with the reasons).
public struct ChainVerification: Sendable {
    /// The verified path from the certificate to a root, when there is one.
    public var chain: [Certificate]?
    /// Why no path verifies, in words; empty when the certificate verifies.
    public var reasons: [String]

    public init(chain: [Certificate]?, reasons: [String]) {
        self.chain = chain
        self.reasons = reasons
    }

    /// Whether the certificate verifies.
    public var isValid: Bool { chain != nil && reasons.isEmpty }

    /// `{verified, chain: [subjects], reasons: […]}` for `-o json|yaml`.
    public var value: Value {
        var object: Value.Object = ["verified": .bool(isValid)]
        if let chain {
            object["chain"] = .array(chain.map { .string(CertificateNames.display($0.subject)) })
        }
        object["reasons"] = .array(reasons.map(Value.string))
        return .object(object)
    }
}

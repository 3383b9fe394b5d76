/// The parameters of a CA certificate, with the defaults of Istio's `tools/certs` Makefiles.
///
/// Root: `O=Istio, CN=Root CA`, 3650 days, RSA-4096. Intermediate: `O=Istio, CN=Intermediate CA, L=<cluster>`,
/// 730 days, RSA-4096, SAN `DNS:istiod.<mesh namespace>.svc`.
public struct CAProfile: Sendable, Hashable {
    /// The subject's organization (`O=`).
    public var organization: String
    /// The subject's common name (`CN=`).
    public var commonName: String
    /// The subject's locality (`L=`): the cluster name for an intermediate; none for a root.
    public var locality: String?
    /// How long the certificate is valid, in days from now.
    public var validityDays: Int
    /// The key to generate.
    public var key: KeySpec
    /// DNS subject alternative names.
    public var dnsNames: [String]

    public init(
        organization: String, commonName: String, locality: String? = nil, validityDays: Int, key: KeySpec,
        dnsNames: [String] = []
    ) {
        self.organization = organization
        self.commonName = commonName
        self.locality = locality
        self.validityDays = validityDays
        self.key = key
        self.dnsNames = dnsNames
    }

    /// Istio's root defaults (`ROOTCA_*` in `tools/certs/common.mk`).
    public static let istioRoot = CAProfile(
        organization: "Istio", commonName: "Root CA", validityDays: 3650, key: .rsa4096)

    /// Istio's intermediate defaults (`INTERMEDIATE_*`) for one cluster and mesh namespace.
    public static func istioIntermediate(cluster: String, meshNamespace: String = "istio-system") -> CAProfile {
        CAProfile(
            organization: "Istio", commonName: "Intermediate CA", locality: cluster, validityDays: 730,
            key: .rsa4096, dnsNames: ["istiod.\(meshNamespace).svc"])
    }

    /// Checks the values a user can set.
    public func validate() throws(PKIError) {
        guard validityDays >= 1, validityDays <= 36500 else {
            throw PKIError(.invalidParameter, "validity of \(validityDays) days is out of range (1 to 36500)")
        }
        guard !organization.isEmpty, !commonName.isEmpty else {
            throw PKIError(.invalidParameter, "the organization and common name must not be empty")
        }
        if let locality, locality.isEmpty {
            throw PKIError(.invalidParameter, "the cluster name must not be empty")
        }
    }
}

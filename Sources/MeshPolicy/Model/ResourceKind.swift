/// The Istio resource kinds meshctl models: their API group, the versions the CRDs serve and their REST names.
public enum ResourceKind: String, Sendable, CaseIterable, Hashable {
    case gateway = "Gateway"
    case virtualService = "VirtualService"
    case destinationRule = "DestinationRule"
    case serviceEntry = "ServiceEntry"
    case sidecar = "Sidecar"
    case authorizationPolicy = "AuthorizationPolicy"
    case peerAuthentication = "PeerAuthentication"
    case requestAuthentication = "RequestAuthentication"

    /// The API group (`networking.istio.io`, `security.istio.io`).
    public var group: String {
        switch self {
        case .gateway, .virtualService, .destinationRule, .serviceEntry, .sidecar: "networking.istio.io"
        case .authorizationPolicy, .peerAuthentication, .requestAuthentication: "security.istio.io"
        }
    }

    /// Every version the CRD serves, the storage version first.
    public var servedVersions: [String] {
        switch group {
        case "networking.istio.io": ["v1", "v1beta1", "v1alpha3"]
        default: ["v1", "v1beta1"]
        }
    }

    /// The version meshctl writes (the CRDs' storage version).
    public var preferredVersion: String { "v1" }

    /// `networking.istio.io/v1`.
    public var preferredAPIVersion: String { "\(group)/\(preferredVersion)" }

    /// The lower-case plural REST name (`authorizationpolicies`).
    public var plural: String {
        switch self {
        case .authorizationPolicy: "authorizationpolicies"
        case .serviceEntry: "serviceentries"
        default: rawValue.lowercased() + "s"
        }
    }

    /// The kind named by an object's `apiVersion` and `kind`, when it is one of ours in a served version.
    public init?(apiVersion: String, kind: String) {
        guard let found = ResourceKind(rawValue: kind) else { return nil }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == found.group, found.servedVersions.contains(parts[1]) else { return nil }
        self = found
    }
}

import MeshCore

/// Any of the Istio resources meshctl models, typed.
public enum MeshResource: Sendable, Equatable {
    case gateway(Resource<GatewaySpec>)
    case virtualService(Resource<VirtualServiceSpec>)
    case destinationRule(Resource<DestinationRuleSpec>)
    case serviceEntry(Resource<ServiceEntrySpec>)
    case sidecar(Resource<SidecarSpec>)
    case authorizationPolicy(Resource<AuthorizationPolicySpec>)
    case peerAuthentication(Resource<PeerAuthenticationSpec>)
    case requestAuthentication(Resource<RequestAuthenticationSpec>)

    /// Reads a document. Returns `nil` when it is not one of the modelled kinds (a Deployment, a Service…);
    /// throws when it is one of them but cannot be read.
    public static func decode(_ value: Value) throws(PolicyError) -> MeshResource? {
        guard case .object = value else { throw PolicyError("expected a mapping (a Kubernetes object), found \(value.kindName)") }
        guard let kindName = value["kind"]?.stringValue, let apiVersion = value["apiVersion"]?.stringValue else { return nil }
        guard let kind = ResourceKind(rawValue: kindName) else { return nil }
        guard ResourceKind(apiVersion: apiVersion, kind: kindName) != nil else {
            guard apiVersion.hasPrefix(kind.group + "/") else { return nil }
            throw PolicyError(
                "\(kindName) is not served in version \(apiVersion); served: \(kind.servedVersions.map { "\(kind.group)/\($0)" }.joined(separator: ", "))",
                path: "apiVersion")
        }
        switch kind {
        case .gateway: return .gateway(try Resource(kind: kind, from: value))
        case .virtualService: return .virtualService(try Resource(kind: kind, from: value))
        case .destinationRule: return .destinationRule(try Resource(kind: kind, from: value))
        case .serviceEntry: return .serviceEntry(try Resource(kind: kind, from: value))
        case .sidecar: return .sidecar(try Resource(kind: kind, from: value))
        case .authorizationPolicy: return .authorizationPolicy(try Resource(kind: kind, from: value))
        case .peerAuthentication: return .peerAuthentication(try Resource(kind: kind, from: value))
        case .requestAuthentication: return .requestAuthentication(try Resource(kind: kind, from: value))
        }
    }

    /// The kind.
    public var kind: ResourceKind { common.kind }

    /// The object's name.
    public var name: String { common.metadata.name ?? "" }

    /// The object's namespace, if set.
    public var namespace: String? { common.metadata.namespace }

    /// The whole document, unknown fields included.
    public var value: Value { common.value }

    /// Paths of spec fields the typed model does not know.
    public var unknownFields: [String] { common.unknownFields }

    private var common: (kind: ResourceKind, metadata: ObjectMeta, value: Value, unknownFields: [String]) {
        switch self {
        case .gateway(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .virtualService(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .destinationRule(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .serviceEntry(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .sidecar(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .authorizationPolicy(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .peerAuthentication(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        case .requestAuthentication(let r): (r.kind, r.metadata, r.value, r.unknownFields)
        }
    }
}

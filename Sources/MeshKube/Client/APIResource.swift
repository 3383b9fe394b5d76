/// A kind of object the API serves: where it lives (group, version, plural name) and whether it is namespaced.
public struct APIResource: Sendable, Hashable {
    /// The API group; empty for the core group.
    public var group: String
    /// The version (`v1`, `v1beta1`).
    public var version: String
    /// The plural resource name used in URLs (`pods`, `virtualservices`).
    public var name: String
    /// The object kind (`Pod`, `VirtualService`).
    public var kind: String
    /// Whether objects live in a namespace.
    public var namespaced: Bool
    /// Short names (`po`, `vs`).
    public var shortNames: [String]
    /// The singular name (`pod`).
    public var singularName: String
    /// Verbs the server supports (`get`, `list`, `watch`, …); empty when unknown.
    public var verbs: [String]

    /// Makes a resource description.
    public init(
        group: String, version: String, name: String, kind: String, namespaced: Bool, shortNames: [String] = [],
        singularName: String? = nil, verbs: [String] = []
    ) {
        self.group = group
        self.version = version
        self.name = name
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.singularName = singularName ?? kind.lowercased()
        self.verbs = verbs
    }

    /// `v1` or `group/version`, as in `apiVersion`.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods` or `virtualservices.networking.istio.io`, as kubectl names resources in messages.
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }

    /// The URL path of the collection (`/api/v1/namespaces/default/pods`) or, with `name`, of one object.
    /// A cluster-scoped resource ignores `namespace`; a namespaced one without a namespace lists across all.
    public func path(namespace: String? = nil, name objectName: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/\(Self.escape(namespace))" }
        path += "/\(name)"
        if let objectName {
            path += "/\(Self.escape(objectName))"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }

    static func escape(_ segment: String) -> String {
        var allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:@")
        allowed.remove("/")
        return segment.unicodeScalars.map { scalar in
            allowed.contains(Character(scalar)) ? String(scalar) : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
    }
}

extension APIResource {
    /// `pods`, known without discovery.
    public static let pods = APIResource(group: "", version: "v1", name: "pods", kind: "Pod", namespaced: true, shortNames: ["po"])
    /// `services`, known without discovery.
    public static let services = APIResource(group: "", version: "v1", name: "services", kind: "Service", namespaced: true, shortNames: ["svc"])
    /// `secrets`, known without discovery.
    public static let secrets = APIResource(group: "", version: "v1", name: "secrets", kind: "Secret", namespaced: true)
    /// `configMaps`, known without discovery.
    public static let configMaps = APIResource(group: "", version: "v1", name: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"])
    /// `nodes`, known without discovery.
    public static let nodes = APIResource(group: "", version: "v1", name: "nodes", kind: "Node", namespaced: false, shortNames: ["no"])
    /// `namespaces`, known without discovery.
    public static let namespaces = APIResource(group: "", version: "v1", name: "namespaces", kind: "Namespace", namespaced: false, shortNames: ["ns"])
    /// `events`, known without discovery.
    public static let events = APIResource(group: "", version: "v1", name: "events", kind: "Event", namespaced: true, shortNames: ["ev"])
    /// `deployments`, known without discovery.
    public static let deployments = APIResource(group: "apps", version: "v1", name: "deployments", kind: "Deployment", namespaced: true, shortNames: ["deploy"])
}

import MeshCore

/// One kind of object the server serves at one group/version: names, scope, columns and (for CRDs) schema.
public struct ResourceType: Sendable, Hashable {
    /// The API group (`""` for core, `apps`, `networking.istio.io`).
    public var group: String
    /// The version (`v1`, `v1beta1`).
    public var version: String
    /// The plural resource name used in URLs (`pods`).
    public var name: String
    public var singular: String
    public var kind: String
    public var listKind: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Whether the `status` subresource exists (writes to the main resource then keep the stored status).
    public var hasStatus: Bool
    /// Extra Table columns after NAME (kubectl get).
    public var columns: [PrinterColumn]
    /// The CRD's `openAPIV3Schema` for this version, used to validate writes.
    public var schema: Value?

    public init(group: String, version: String, name: String, singular: String, kind: String, namespaced: Bool,
                shortNames: [String] = [], categories: [String] = [], hasStatus: Bool = false,
                columns: [PrinterColumn] = [], schema: Value? = nil) {
        self.group = group
        self.version = version
        self.name = name
        self.singular = singular
        self.kind = kind
        self.listKind = kind + "List"
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatus = hasStatus
        self.columns = columns
        self.schema = schema
    }

    /// `v1` or `apps/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `pods` or `deployments.apps`, as Kubernetes names resources in messages.
    public var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }

    /// Where objects are stored: all versions of a resource share it.
    public var storageKey: String { "\(group)/\(name)" }

    public static func == (lhs: ResourceType, rhs: ResourceType) -> Bool {
        lhs.group == rhs.group && lhs.version == rhs.version && lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(group)
        hasher.combine(version)
        hasher.combine(name)
    }
}

/// A column of `kubectl get` output: a header and a JSONPath-like path into the object.
public struct PrinterColumn: Sendable, Hashable {
    public var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    /// A simple JSONPath (`.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`, `.spec.hosts`).
    public var jsonPath: String
    /// Columns with priority above 0 appear only in `-o wide`.
    public var priority: Int
    public var format: String

    public init(_ name: String, _ type: String = "string", _ jsonPath: String, priority: Int = 0, format: String = "") {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
        self.priority = priority
        self.format = format
    }
}

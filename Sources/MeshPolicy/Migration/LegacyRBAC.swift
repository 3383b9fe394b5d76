/// The legacy Istio RBAC API (`rbac.istio.io/v1alpha1`, removed in Istio 1.6), read only to convert it.
///
/// A ServiceRole grants access rules on services of its namespace; a ServiceRoleBinding gives a role to
/// subjects; the mesh-wide ClusterRbacConfig (earlier RbacConfig) named `default` says where RBAC is enforced.
public enum LegacyRBAC {
    public static let group = "rbac.istio.io"

    /// `ServiceRole.spec`.
    public struct ServiceRole: Codable, Sendable, Equatable {
        public var rules: [AccessRule]?
    }

    /// One permission: services, and what may be done to them.
    public struct AccessRule: Codable, Sendable, Equatable {
        public var services: [String]?
        public var hosts: [String]?
        public var notHosts: [String]?
        public var paths: [String]?
        public var notPaths: [String]?
        public var methods: [String]?
        public var notMethods: [String]?
        public var ports: [Int]?
        public var notPorts: [Int]?
        public var constraints: [Constraint]?
    }

    /// `constraints: [{key, values}]` of an access rule.
    public struct Constraint: Codable, Sendable, Equatable {
        public var key: String?
        public var values: [String]?
    }

    /// `ServiceRoleBinding.spec`.
    public struct ServiceRoleBinding: Codable, Sendable, Equatable {
        public var subjects: [Subject]?
        public var roleRef: RoleRef?
        /// The role's name, the short form of `roleRef` (a leading `/` is allowed).
        public var role: String?
        /// An inline role.
        public var actions: [AccessRule]?
        /// `ENFORCED` (default) or `PERMISSIVE` (evaluated, not enforced).
        public var mode: String?
    }

    /// Who a binding gives its role to.
    public struct Subject: Codable, Sendable, Equatable {
        public var user: String?
        public var group: String?
        public var properties: [String: String]?
        public var names: [String]?
        public var notNames: [String]?
        public var groups: [String]?
        public var notGroups: [String]?
        public var namespaces: [String]?
        public var notNamespaces: [String]?
        public var ips: [String]?
        public var notIps: [String]?
    }

    /// `roleRef: {kind: ServiceRole, name}`.
    public struct RoleRef: Codable, Sendable, Equatable {
        public var kind: String?
        public var name: String?
    }

    /// `ClusterRbacConfig.spec` (and `RbacConfig.spec`).
    public struct RbacConfig: Codable, Sendable, Equatable {
        /// `OFF` (default), `ON`, `ON_WITH_INCLUSION`, `ON_WITH_EXCLUSION`.
        public var mode: String?
        public var inclusion: Target?
        public var exclusion: Target?
        /// `ENFORCED` (default) or `PERMISSIVE`.
        public var enforcementMode: String?
    }

    /// The services and namespaces of an inclusion or exclusion.
    public struct Target: Codable, Sendable, Equatable {
        public var services: [String]?
        public var namespaces: [String]?
    }
}

import Foundation
import MeshCore

/// The Kubernetes-compatible API: routes a request to discovery, health or a verb on a resource.
///
/// It knows nothing about sockets; the HTTPS layer hands it `APIRequest`s and writes back `APIResponse`s.
public final class APIServer: Sendable {
    public let store: ObjectStore
    public let registry: ResourceRegistry
    /// `host:port` clients reach the server at (discovery reports it).
    public let serverAddress: String
    /// Called after every committed write (CRD registration, CA reload, per-namespace root certificates).
    let afterWrite: @Sendable (ResourceType, StoredObject?, StoredObject?) -> Void
    /// Requests larger than this are refused with 413.
    public static let maxBodyBytes = 3 * 1024 * 1024
    /// How often watches that asked for bookmarks get one.
    public let bookmarkInterval: Double

    public init(store: ObjectStore, registry: ResourceRegistry, serverAddress: String, bookmarkInterval: Double = 5,
                afterWrite: @escaping @Sendable (ResourceType, StoredObject?, StoredObject?) -> Void = { _, _, _ in }) {
        self.store = store
        self.registry = registry
        self.serverAddress = serverAddress
        self.bookmarkInterval = bookmarkInterval
        self.afterWrite = afterWrite
    }

    /// Answers one request. Never throws: every failure becomes a `Status`.
    public func handle(_ request: APIRequest) -> APIResponse {
        do {
            return try route(request)
        } catch {
            return .error(error)
        }
    }

    private func route(_ request: APIRequest) throws(APIError) -> APIResponse {
        let route = Route(path: request.path) { group, version, name in
            registry.lookup(group: group, version: version, name: name)?.namespaced
        }
        if case .health(let name) = route {
            return .text(request.path.hasSuffix("/verbose") ? "[+]ping ok\n[+]etcd ok\n\(name) check passed\n" : "ok")
        }
        guard request.user != nil else { throw APIError.unauthorized }
        switch route {
        case .root:
            let paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version", "/openapi/v2", "/openapi/v3"]
                + registry.groups().filter { !$0.name.isEmpty }.flatMap { group in
                    ["/apis/\(group.name)"] + group.versions.map { "/apis/\(group.name)/\($0)" }
                }
            return .json(["paths": .array(paths.map(Value.string))])
        case .version:
            return .json(Discovery.version(gitCommit: BuildInfo.current.gitCommit))
        case .coreVersions:
            return .json(Discovery.coreVersions(serverAddress: serverAddress))
        case .groups:
            return .json(Discovery.groupList(registry))
        case .group(let name):
            guard let group = registry.groups().first(where: { $0.name == name && !name.isEmpty }) else {
                throw APIError.notFoundPath(request.path)
            }
            return .json(Discovery.group(group.name, versions: group.versions).merging(["kind": "APIGroup", "apiVersion": "v1"]))
        case .resourceList(let group, let version):
            guard let list = Discovery.resourceList(registry, group: group, version: version) else {
                throw APIError.notFoundPath(request.path)
            }
            return .json(list)
        case .openAPIv2:
            throw APIError.notFoundPath(request.path)
        case .openAPIv3(let groupVersion):
            return try OpenAPIDocument.answer(groupVersion, registry: registry)
        case .resource(let group, let version, let name, let namespace, let objectName, let subresource, let watchPath):
            guard let type = registry.lookup(group: group, version: version, name: name) else {
                throw APIError.notFoundPath(request.path)
            }
            let target = ResourceTarget(type: type, namespace: namespace, name: objectName, subresource: subresource)
            return try resource(request, target, watchPath: watchPath)
        case .health, .unknown:
            throw APIError.notFoundPath(request.path)
        }
    }

    private func resource(_ request: APIRequest, _ target: ResourceTarget, watchPath: Bool) throws(APIError) -> APIResponse {
        if let subresource = target.subresource, !(subresource == "status" && target.type.hasStatus) {
            throw APIError.notFoundPath(request.path)
        }
        if target.type.namespaced, target.namespace == nil, target.name != nil {
            throw APIError.notFoundPath(request.path)
        }
        switch (request.method, target.name) {
        case ("GET", nil):
            if watchPath || request.query["watch"] == "true" || request.query["watch"] == "1" {
                return try watch(request, target)
            }
            return try list(request, target)
        case ("GET", .some(let name)):
            if watchPath {
                var narrowed = request
                narrowed.query["fieldSelector"] = "metadata.name=\(name)"
                return try watch(narrowed, ResourceTarget(type: target.type, namespace: target.namespace, name: nil, subresource: nil))
            }
            return try get(request, target, name: name)
        case ("POST", nil):
            return try create(request, target)
        case ("PUT", .some(let name)):
            return try update(request, target, name: name)
        case ("PATCH", .some(let name)):
            return try patch(request, target, name: name)
        case ("DELETE", .some(let name)):
            return try delete(request, target, name: name)
        case ("DELETE", nil):
            return try deleteCollection(request, target)
        default:
            throw APIError.methodNotAllowed(request.method)
        }
    }
}

/// The resource, namespace, name and subresource a request addresses.
struct ResourceTarget {
    var type: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?

    var storageNamespace: String { type.namespaced ? (namespace ?? "") : "" }
}

extension Value {
    /// This mapping with `other`'s keys set on top.
    func merging(_ other: Value) -> Value {
        guard case .object(var object) = self, case .object(let extra) = other else { return self }
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }
}

import Foundation
import MeshCore

extension KubeClient {
    /// The namespace a request uses: the one given, else the object's, else the configuration's.
    func namespace(for resource: APIResource, _ namespace: String?, object: Value? = nil) -> String? {
        guard resource.namespaced else { return nil }
        return namespace ?? object?["metadata"]?["namespace"]?.stringValue ?? config.namespace
    }

    /// One object (`GET`); throws `.api` with `isNotFound` when it does not exist.
    public func get(_ resource: APIResource, name: String, namespace: String? = nil) throws(KubeError) -> Value {
        try sendValue("GET", path: resource.path(namespace: self.namespace(for: resource, namespace), name: name))
    }

    /// Every object matching `options`, following `continue` tokens page by page.
    public func list(_ resource: APIResource, namespace: String? = nil, options: ListOptions = ListOptions()) throws(KubeError) -> ObjectList {
        var result = ObjectList(items: [], resourceVersion: nil, pages: 0)
        try forEachPage(resource, namespace: namespace, options: options) { page in
            result.items += page["items"]?.arrayValue ?? []
            result.resourceVersion = page["metadata"]?["resourceVersion"]?.stringValue
            result.pages += 1
        }
        return result
    }

    /// Like `list`, but hands over each page (a whole `*List` object) as it arrives, so a caller can stream.
    public func forEachPage(
        _ resource: APIResource, namespace: String? = nil, options: ListOptions = ListOptions(),
        _ body: (Value) throws(KubeError) -> Void
    ) throws(KubeError) {
        let path = resource.path(namespace: options.allNamespaces ? nil : self.namespace(for: resource, namespace))
        var token: String?
        repeat {
            var query = options.query
            if options.pageSize > 0 { query.append(("limit", String(options.pageSize))) }
            if let token { query.append(("continue", token)) }
            let page = try sendValue("GET", path: path, query: query)
            try body(page)
            token = page["metadata"]?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
    }

    /// Creates `object` (`POST`); throws `.api` with `isConflict` when it already exists.
    public func create(_ resource: APIResource, _ object: Value, namespace: String? = nil) throws(KubeError) -> Value {
        try sendValue("POST", path: resource.path(namespace: self.namespace(for: resource, namespace, object: object)), body: object)
    }

    /// Replaces `object` (`PUT`); with `metadata.resourceVersion` set, a concurrent change is a 409 conflict.
    public func replace(_ resource: APIResource, _ object: Value, namespace: String? = nil) throws(KubeError) -> Value {
        let name = try Self.name(of: object)
        let path = resource.path(namespace: self.namespace(for: resource, namespace, object: object), name: name)
        return try sendValue("PUT", path: path, body: object)
    }

    /// Patches one object. `.apply` is server-side apply and needs `fieldManager`; `force` takes over
    /// conflicting fields.
    public func patch(
        _ resource: APIResource, name: String, namespace: String? = nil, patch: Value, type: PatchType,
        fieldManager: String? = nil, force: Bool = false, subresource: String? = nil
    ) throws(KubeError) -> Value {
        var query: [(String, String)] = []
        if type == .apply {
            guard let fieldManager, !fieldManager.isEmpty else {
                throw KubeError(.api, "server-side apply needs a field manager", httpStatus: 400, reason: "BadRequest")
            }
            if force { query.append(("force", "true")) }
        }
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        let path = resource.path(namespace: self.namespace(for: resource, namespace), name: name, subresource: subresource)
        return try sendValue("PATCH", path: path, query: query, body: patch, contentType: type.rawValue)
    }

    /// Deletes one object; returns what the server answered (the object, or a `Status`).
    @discardableResult
    public func delete(
        _ resource: APIResource, name: String, namespace: String? = nil, propagationPolicy: PropagationPolicy? = nil,
        gracePeriodSeconds: Int? = nil
    ) throws(KubeError) -> Value {
        var options: Value.Object = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { options["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { options["gracePeriodSeconds"] = .int(gracePeriodSeconds) }
        let path = resource.path(namespace: self.namespace(for: resource, namespace), name: name)
        return try sendValue("DELETE", path: path, body: .object(options))
    }

    /// Reads a subresource (`status`, `scale`).
    public func getSubresource(_ resource: APIResource, name: String, subresource: String, namespace: String? = nil) throws(KubeError) -> Value {
        try sendValue("GET", path: resource.path(namespace: self.namespace(for: resource, namespace), name: name, subresource: subresource))
    }

    /// Replaces a subresource (`PUT …/status`, `PUT …/scale`).
    public func replaceSubresource(_ resource: APIResource, _ object: Value, subresource: String, namespace: String? = nil) throws(KubeError) -> Value {
        let name = try Self.name(of: object)
        let path = resource.path(namespace: self.namespace(for: resource, namespace, object: object), name: name, subresource: subresource)
        return try sendValue("PUT", path: path, body: object)
    }

    /// Sets the replica count through the `scale` subresource.
    @discardableResult
    public func scale(_ resource: APIResource, name: String, replicas: Int, namespace: String? = nil) throws(KubeError) -> Value {
        try patch(resource, name: name, namespace: namespace, patch: ["spec": ["replicas": .int(replicas)]], type: .merge,
                  subresource: "scale")
    }

    /// Sends a request through the API server to a pod's or service's port (the `proxy` subresource:
    /// `/api/v1/namespaces/NS/pods/NAME:PORT/proxy/PATH`), so istiod and proxy admin endpoints are reachable
    /// without port-forward.
    public func proxy(
        _ resource: APIResource = .pods, name: String, port: Int? = nil, namespace: String? = nil, path: String = "/",
        method: String = "GET", query: [(String, String)] = [], body: Data? = nil, contentType: String? = nil,
        accept: String = "*/*"
    ) throws(KubeError) -> HTTPResponse {
        let target = port.map { "\(name):\($0)" } ?? name
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let base = resource.path(namespace: self.namespace(for: resource, namespace), name: target, subresource: "proxy")
        return try send(method, path: "\(base)/\(trimmed)", query: query, body: body, contentType: contentType, accept: accept)
    }

    static func name(of object: Value) throws(KubeError) -> String {
        guard let name = object["metadata"]?["name"]?.stringValue, !name.isEmpty else {
            throw KubeError(.api, "the object has no metadata.name", httpStatus: 400, reason: "BadRequest")
        }
        return name
    }
}

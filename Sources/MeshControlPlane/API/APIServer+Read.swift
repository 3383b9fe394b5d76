import Foundation
import MeshCore

extension APIServer {
    /// GET of one object.
    func get(_ request: APIRequest, _ target: ResourceTarget, name: String) throws(APIError) -> APIResponse {
        guard let object = store.get(target.type.storageKey, namespace: target.storageNamespace, name: name) else {
            throw APIError.notFound(target.type, name: name)
        }
        if request.wantsTable {
            return .json(TableBuilder.table(target.type, objects: [object], listVersion: String(object.resourceVersion),
                                            includeObject: request.query["includeObject"]))
        }
        return .jsonBytes(Self.encoded(object, as: target.type))
    }

    /// LIST with selectors and pagination (`limit`, `continue`). Later pages are read at the first page's
    /// resourceVersion, from the history of changes; once that history has moved past it, 410 Expired with a
    /// token that continues at the latest state.
    func list(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let filter = try ObjectFilter(namespace: target.type.namespaced ? target.namespace : nil, query: request.query)
        var (all, version) = store.list(target.type.storageKey, namespace: filter.namespace)
        var after: String?
        if let text = request.query["continue"], !text.isEmpty {
            let token = try ContinueToken(parsing: text)
            after = token.lastKey
            if token.version >= 0 {
                guard let snapshot = store.list(target.type.storageKey, namespace: filter.namespace, at: token.version) else {
                    var error = APIError.gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                    error.continueToken = ContinueToken(version: -1, lastKey: token.lastKey).encoded
                    throw error
                }
                (all, version) = (snapshot, token.version)
            }
        }
        var items = all.filter(filter.matches)
        if let after { items = items.filter { ObjectStore.key($0.namespace, $0.name) > after } }
        var continueToken: String?
        var remaining: Int?
        if let limitText = request.query["limit"], let limit = Int(limitText), limit > 0, items.count > limit {
            remaining = items.count - limit
            items = Array(items.prefix(limit))
            if let last = items.last {
                continueToken = ContinueToken(version: version, lastKey: ObjectStore.key(last.namespace, last.name)).encoded
            }
        }
        if request.wantsTable {
            var table = TableBuilder.table(target.type, objects: items, listVersion: String(version),
                                           includeObject: request.query["includeObject"])
            if let continueToken { table["metadata"]?["continue"] = .string(continueToken) }
            return .json(table)
        }
        var metadata: Value = ["resourceVersion": .string(String(version))]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remaining { metadata["remainingItemCount"] = .int(remaining) }
        var bytes = Array("{\"kind\":\"\(target.type.listKind)\",\"apiVersion\":\"\(target.type.apiVersion)\",\"metadata\":".utf8)
        bytes += Array(JSON.emit(metadata).utf8)
        bytes += Array(",\"items\":[".utf8)
        bytes.reserveCapacity(items.reduce(bytes.count + 16) { $0 + $1.json.count + 1 })
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += Self.encoded(item, as: target.type)
        }
        bytes += Array("]}".utf8)
        return .jsonBytes(bytes)
    }

    /// The object's JSON at the requested version: stored bytes as they are, or re-encoded with the requested
    /// `apiVersion` (versions of one resource share a schema here, like CRDs with conversion `None`).
    static func encoded(_ object: StoredObject, as type: ResourceType) -> [UInt8] {
        if object.summary.apiVersion == type.apiVersion { return object.json }
        return Array(JSON.emit(presented(object, as: type)).utf8)
    }

    static func presented(_ object: StoredObject, as type: ResourceType) -> Value {
        presented(object.value, as: type)
    }

    /// The object with the requested `apiVersion`.
    static func presented(_ value: Value, as type: ResourceType) -> Value {
        var value = value
        value["apiVersion"] = .string(type.apiVersion)
        return value
    }
}

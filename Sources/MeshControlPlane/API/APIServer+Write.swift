import Foundation
import MeshCore

extension APIServer {
    /// POST: create an object (generateName, uid, timestamps; 409 when it exists).
    func create(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        var object = try BodyDecoder.object(request)
        try ObjectRules.checkKind(&object, target.type)
        try ObjectRules.checkNamespace(&object, target)
        if object["metadata"]?["name"]?.stringValue?.isEmpty ?? true,
           let prefix = object["metadata"]?["generateName"]?.stringValue, !prefix.isEmpty {
            object["metadata"]?["name"] = .string(prefix + ObjectRules.randomSuffix())
        }
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        try ObjectRules.validate(&object, target.type, name: name, strict: request.query["fieldValidation"] == "Strict")
        try requireNamespace(target)
        ObjectRules.initialize(&object)
        try ObjectRules.recordOwnership(.update(request.fieldManager), old: nil, new: &object, target.type, name: name, subresource: nil)
        if request.isDryRun {
            if store.get(target.type.storageKey, namespace: target.storageNamespace, name: name) != nil {
                throw APIError.alreadyExists(target.type, name: name)
            }
            return .json(object, status: 201)
        }
        let result = try store.write(target.type.storageKey, namespace: target.storageNamespace, name: name) { current throws(APIError) in
            if current != nil { throw APIError.alreadyExists(target.type, name: name) }
            return .put(object)
        }
        guard let stored = result.object else { throw APIError.internalError("the object vanished") }
        afterWrite(target.type, stored, nil)
        return .jsonBytes(Self.encoded(stored, as: target.type), status: 201)
    }

    /// PUT: replace an object; a stale `resourceVersion` is 409. With `/status`, only the status changes.
    func update(_ request: APIRequest, _ target: ResourceTarget, name: String) throws(APIError) -> APIResponse {
        var object = try BodyDecoder.object(request)
        try ObjectRules.checkKind(&object, target.type)
        try ObjectRules.checkNamespace(&object, target)
        if let bodyName = object["metadata"]?["name"]?.stringValue, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        object["metadata"]?["name"] = .string(name)
        return try replace(request, target, name: name, createIfMissing: true, ownership: .update(request.fieldManager)) { _ in object }
    }

    /// The shared path of update and patch: `change` computes the new object from the current one.
    func replace(_ request: APIRequest, _ target: ResourceTarget, name: String, createIfMissing: Bool, ownership: FieldOwnership,
                 _ change: (Value?) throws(APIError) -> Value) throws(APIError) -> APIResponse {
        let strict = request.query["fieldValidation"] == "Strict"
        if createIfMissing { try requireNamespace(target) }  // not inside the write: the store's lock is held there
        var created = false
        var finalized: Value?
        var preview: Value?
        let result = try store.write(target.type.storageKey, namespace: target.storageNamespace, name: name) { current throws(APIError) in
            guard let current else {
                guard createIfMissing, target.subresource == nil else { throw APIError.notFound(target.type, name: name) }
                var object = try change(nil)
                try ObjectRules.checkKind(&object, target.type)
                try ObjectRules.checkNamespace(&object, target)
                object["metadata"]?["name"] = .string(name)
                try ObjectRules.validate(&object, target.type, name: name, strict: strict)
                ObjectRules.initialize(&object)
                try ObjectRules.recordOwnership(ownership, old: nil, new: &object, target.type, name: name, subresource: nil)
                created = true
                if request.isDryRun { preview = object; return .unchanged }
                return .put(object)
            }
            let currentValue = current.value  // decoded once: the store keeps only the JSON
            var object = try change(Self.presented(currentValue, as: target.type))
            if let version = object["metadata"]?["resourceVersion"]?.stringValue, !version.isEmpty,
               version != String(current.resourceVersion) {
                throw APIError.conflict(target.type, name: name)
            }
            object = ObjectRules.carryOver(object, from: currentValue, type: target.type, subresource: target.subresource)
            try ObjectRules.validate(&object, target.type, name: name, strict: strict)
            try ObjectRules.recordOwnership(ownership, old: currentValue, new: &object, target.type, name: name,
                                            subresource: target.subresource)
            let completes = try ObjectRules.completesDeletion(object, currentValue, target.type, name: name)
            if request.isDryRun { preview = object; return .unchanged }
            if completes { finalized = object; return .deleteAfter(object) }
            if object == currentValue.settingVersion(nil, of: object) { return .unchanged }
            return .put(object)
        }
        if let preview { return .json(preview, status: created ? 201 : 200) }
        if let finalized, let previous = result.previous, result.object == nil {
            // The update removed the last finalizer: the object is gone, and its dependents follow.
            afterWrite(target.type, nil, previous)
            finishedDeletion(of: previous)
            let last = StoredObject(resourceVersion: result.version, value: finalized).stamped(result.version)
            return .jsonBytes(Self.encoded(last, as: target.type))
        }
        guard let stored = result.object else { throw APIError.notFound(target.type, name: name) }
        if stored.resourceVersion != result.previous?.resourceVersion {
            afterWrite(target.type, stored, result.previous)
        }
        return .jsonBytes(Self.encoded(stored, as: target.type), status: created ? 201 : 200)
    }

    func requireNamespace(_ target: ResourceTarget) throws(APIError) {
        guard target.type.namespaced, let namespace = target.namespace else { return }
        if store.get("/namespaces", namespace: "", name: namespace) == nil {
            throw APIError(code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
                           details: ["name": .string(namespace), "kind": "namespaces"])
        }
    }
}

extension Value {
    /// A copy whose metadata.resourceVersion matches `other`'s (for no-op detection).
    func settingVersion(_ unused: Int?, of other: Value) -> Value {
        var copy = self
        copy["metadata"]?["resourceVersion"] = other["metadata"]?["resourceVersion"]
        return copy
    }
}

/// How a write records field ownership in `metadata.managedFields`.
enum FieldOwnership {
    /// A create, update or non-apply patch by this manager.
    case update(String)
    /// Server-side apply of `configuration` by `manager`; `force` takes conflicting fields.
    case apply(manager: String, configuration: Value, force: Bool)
}

import Foundation
import MeshCore

/// The checks and bookkeeping every write goes through: kind and namespace agreement, names, schema, uid,
/// timestamps, generation, and what an update may not change.
enum ObjectRules {
    static func checkKind(_ object: inout Value, _ type: ResourceType) throws(APIError) {
        guard case .object = object else { throw APIError.badRequest("the body must be a JSON or YAML object, not a \(object.kindName)") }
        if object["metadata"] == nil { object["metadata"] = [:] }
        guard case .object = object["metadata"] ?? .null else { throw APIError.badRequest("metadata must be an object") }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the kind \(kind) of the object does not match the resource \(type.qualifiedName) (kind \(type.kind))")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty,
           ResourceRegistry.split(apiVersion).0 != type.group {
            throw APIError.badRequest("the apiVersion \(apiVersion) of the object does not match the resource \(type.qualifiedName)")
        }
        object["kind"] = .string(type.kind)
        object["apiVersion"] = .string(type.apiVersion)
    }

    static func checkNamespace(_ object: inout Value, _ target: ResourceTarget) throws(APIError) {
        if target.type.namespaced {
            let requested = target.namespace ?? ""
            if let namespace = object["metadata"]?["namespace"]?.stringValue, !namespace.isEmpty, namespace != requested {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object["metadata"]?["namespace"] = .string(requested)
        } else {
            object["metadata"]?["namespace"] = nil
        }
    }

    /// Name rules and, for custom resources, the CRD schema (422 with causes).
    static func validate(_ object: inout Value, _ type: ResourceType, name: String, strict: Bool) throws(APIError) {
        var causes: [(field: String, message: String)] = []
        if name.isEmpty {
            causes.append(("metadata.name", "Required value: name or generateName is required"))
        } else if !isDNSSubdomain(name) || (type.kind == "Namespace" && (!isDNSLabel(name))) {
            causes.append(("metadata.name", "Invalid value: \"\(name)\": a lowercase RFC 1123 \(type.kind == "Namespace" ? "label" : "subdomain") must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"))
        }
        for key in ["labels", "annotations"] {
            if let map = object["metadata"]?[key], map.objectValue == nil, !map.isNull {
                causes.append(("metadata.\(key)", "Invalid value: must be a map of strings"))
            }
            for (label, value) in object["metadata"]?[key]?.objectValue ?? [:] where value.stringValue == nil {
                causes.append(("metadata.\(key).\(label)", "Invalid value: must be a string"))
            }
        }
        if let schema = type.schema {
            var validator = SchemaValidator(strict: strict)
            var body = object
            body["metadata"] = nil
            body["apiVersion"] = nil
            body["kind"] = nil
            body = validator.check(body, schema: schema, path: "")
            for (key, value) in body.objectValue ?? [:] { object[key] = value }
            for key in (object.objectValue?.keys ?? []) where !["apiVersion", "kind", "metadata"].contains(key) && body[key] == nil {
                object[key] = nil
            }
            causes += validator.causes
        }
        if !causes.isEmpty { throw APIError.invalid(type, name: name, causes: causes) }
    }

    /// Sets what the server owns on a new object, and the defaults of the built-in kinds.
    static func initialize(_ object: inout Value) {
        switch (object["apiVersion"]?.stringValue, object["kind"]?.stringValue) {
        case ("v1", "Secret"):
            if object["type"]?.stringValue?.isEmpty ?? true { object["type"] = "Opaque" }
        case ("v1", "Namespace"):
            if object["spec"]?["finalizers"] == nil { object["spec"] = ["finalizers": ["kubernetes"]] }
            object["status"] = ["phase": "Active"]
        case ("v1", "Pod"):
            if object["status"]?["phase"] == nil { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
        case ("v1", "Service"):
            if object["spec"]?["type"] == nil { object["spec"]?["type"] = "ClusterIP" }
        case ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "ReplicaSet"):
            if object["spec"]?["replicas"] == nil { object["spec"]?["replicas"] = 1 }
        default:
            break
        }
        object["metadata"]?["uid"] = .string(UUID().uuidString.lowercased())
        object["metadata"]?["creationTimestamp"] = .string(Timestamp.now())
        object["metadata"]?["generation"] = 1
        object["metadata"]?["resourceVersion"] = nil
        object["metadata"]?["deletionTimestamp"] = nil
        object["metadata"]?["deletionGracePeriodSeconds"] = nil
        object["metadata"]?["selfLink"] = nil
        object["metadata"]?["managedFields"] = nil
    }

    /// Keeps what an update may not change (uid, creation time; status on the main resource, everything but
    /// status on `/status`) and bumps the generation when the spec changed.
    static func carryOver(_ next: Value, from current: Value, type: ResourceType, subresource: String?) -> Value {
        var object = next
        if subresource == "status" {
            var result = current
            result["status"] = next["status"]
            result["metadata"]?["resourceVersion"] = next["metadata"]?["resourceVersion"]
            return result
        }
        if type.hasStatus { object["status"] = current["status"] }
        if object["metadata"]?.objectValue == nil { object["metadata"] = [:] }
        for key in ["uid", "creationTimestamp", "namespace", "name", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            object["metadata"]?[key] = current["metadata"]?[key]
        }
        object["metadata"]?["managedFields"] = current["metadata"]?["managedFields"]
        var generation = current["metadata"]?["generation"]?.intValue ?? 1
        if Self.specChanged(object, current) { generation += 1 }
        object["metadata"]?["generation"] = .int(generation)
        return object
    }

    /// Records in `metadata.managedFields` who owns what after this write; a refused apply is 409.
    static func recordOwnership(_ ownership: FieldOwnership, old: Value?, new object: inout Value, _ type: ResourceType,
                                name: String, subresource: String?) throws(APIError) {
        var fields = ManagedFields(old?["metadata"]?["managedFields"])
        let time = Timestamp.now()
        switch ownership {
        case .update(let manager):
            fields.update(manager: manager, old: old, new: object, apiVersion: type.apiVersion, time: time, subresource: subresource)
        case .apply(let manager, let configuration, let force):
            let result = fields.applyResult(manager: manager, configuration: configuration, current: old,
                                            apiVersion: type.apiVersion, time: time, force: force)
            if !result.conflicts.isEmpty { throw ManagedFields.conflictError(result.conflicts, type, name: name) }
            for path in result.abandoned { object = FieldSet.removing(path[...], from: object) }
        }
        fields.prune(to: object)
        object["metadata"]?["managedFields"] = fields.value
    }

    /// While an object is being deleted its finalizers can only be removed (422 otherwise). Returns whether
    /// the update removed the last one, which completes the deletion.
    static func completesDeletion(_ next: Value, _ current: Value, _ type: ResourceType, name: String) throws(APIError) -> Bool {
        guard current["metadata"]?["deletionTimestamp"] != nil else { return false }
        let before = APIServer.finalizers(of: current)
        let added = APIServer.finalizers(of: next).filter { !before.contains($0) }
        if !added.isEmpty {
            let list = added.map { "\"\($0)\"" }.joined(separator: ", ")
            throw APIError.invalid(type, name: name, causes: [
                ("metadata.finalizers", "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\(list)}"),
            ])
        }
        return APIServer.finalizers(of: next).isEmpty
    }

    private static func specChanged(_ a: Value, _ b: Value) -> Bool {
        for key in Set((a.objectValue?.keys ?? []) + (b.objectValue?.keys ?? [])) where !["metadata", "status", "apiVersion", "kind"].contains(key) {
            if a[key] != b[key] { return true }
        }
        return false
    }

    static func isDNSSubdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0), max: 253) }
    }

    static func isDNSLabel(_ name: String, max: Int = 63) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= max else { return false }
        let ok: (UInt8) -> Bool = { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
        return ok(bytes.first!) && ok(bytes.last!) && bytes.allSatisfy { ok($0) || $0 == 45 }
    }

    /// Five characters from Kubernetes' generateName alphabet.
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}

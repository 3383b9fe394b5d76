import MeshCore

/// What Go's typed Kubernetes structs add when Istio writes an object back: `resources: {}` on containers,
/// empty `strategy`/`updateStrategy`, zero-valued `status` fields, and canonical resource quantities
/// (`2000m` → `"2"`, `1024Mi` → `1Gi`).
enum KubernetesShape {
    /// The document with Go's zero values filled in for the workload kinds injection handles.
    static func normalize(_ document: Value) -> Value {
        guard let kind = document.string("kind") else { return document }
        var result = document
        if kind == "List" {
            if result["metadata"] == nil { result["metadata"] = .object([:]) }
            if let items = result["items"]?.arrayValue { result["items"] = .array(items.map(normalize)) }
            return result
        }
        guard let workload = Workload.forKind(kind) else { return document }
        if var spec = result.at(workload.specPath), spec.objectValue != nil {
            spec = omitEmpty(spec)
            for field in ["containers", "initContainers"] {
                guard let items = spec[field]?.arrayValue else { continue }
                spec[field] = .array(items.map(container))
            }
            result.set(workload.specPath, to: spec)
        }
        for field in ["minReadySeconds", "progressDeadlineSeconds", "revisionHistoryLimit"]
        where kind == "DeploymentConfig" && result["spec"]?[field] == .int(0) {
            result["spec"]?[field] = nil
        }
        if kind == "DeploymentConfig" {
            if result["spec"]?["paused"] == .bool(false) { result["spec"]?["paused"] = nil }
            if result["spec"]?["test"] == nil { result["spec"]?["test"] = false }
        }
        // A pod template's metadata is a struct in Go: always written, `{}` when empty.
        let templateMetadata = kind == "CronJob" ? ["spec", "jobTemplate", "spec", "template", "metadata"] : ["spec", "template", "metadata"]
        if kind != "Pod", result.at(templateMetadata) == nil { result.set(templateMetadata, to: .object([:])) }
        if kind != "DeploymentConfig", result["spec"]?["minReadySeconds"] == .int(0) { result["spec"]?["minReadySeconds"] = nil }
        switch kind {
        case "Deployment":
            if result["spec"]?["strategy"] == nil { result["spec"]?["strategy"] = .object([:]) }
            if result["status"] == nil { result["status"] = .object([:]) }
        case "DaemonSet":
            if result["spec"]?["updateStrategy"] == nil { result["spec"]?["updateStrategy"] = .object([:]) }
            zeroStatus(&result, ["currentNumberScheduled", "desiredNumberScheduled", "numberMisscheduled", "numberReady"])
        case "StatefulSet":
            if result["spec"]?["updateStrategy"] == nil { result["spec"]?["updateStrategy"] = .object([:]) }
            zeroStatus(&result, ["availableReplicas", "replicas"])
        case "ReplicaSet", "ReplicationController":
            zeroStatus(&result, ["replicas"])
        case "DeploymentConfig":
            if result["spec"]?["strategy"] != nil, result["spec"]?["strategy"]?["resources"] == nil {
                result["spec"]?["strategy"]?["resources"] = .object([:])
            }
            zeroStatus(&result, ["availableReplicas", "latestVersion", "observedGeneration", "replicas",
                "unavailableReplicas", "updatedReplicas"])
        default:
            if result["status"] == nil { result["status"] = .object([:]) }
        }
        return result
    }

    /// String maps keep empty values; Go's `omitempty` does not reach into them.
    static let stringMaps: Set<String> = ["annotations", "labels", "nodeSelector", "matchLabels", "data"]
    /// Non-pointer integer fields of pod specs that Go leaves out when zero.
    static let omitZeroInts: Set<String> = [
        "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold",
        "hostPort",
    ]

    /// Go's `omitempty` on a pod spec after a typed round trip: empty strings and zero probe counters vanish.
    static func omitEmpty(_ value: Value) -> Value {
        switch value {
        case .object(let object):
            var result = Value.Object()
            result.reserveCapacity(object.count)
            for (key, item) in object {
                if stringMaps.contains(key) {
                    result[key] = item
                    continue
                }
                if case .string("") = item { continue }
                if omitZeroInts.contains(key), item.intValue == 0 { continue }
                result[key] = omitEmpty(item)
            }
            return .object(result)
        case .array(let items):
            return .array(items.map { item in item.objectValue == nil ? item : omitEmpty(item) })
        default:
            return value
        }
    }

    private static func zeroStatus(_ document: inout Value, _ fields: [String]) {
        var status = document["status"]?.objectValue ?? [:]
        for field in fields where status[field] == nil { status[field] = 0 }
        document["status"] = .object(status)
    }

    static func container(_ value: Value) -> Value {
        guard case .object(var object) = value else { return value }
        object["resources"] = canonicalResources("resources", object["resources"] ?? .object([:]))
        return .object(object)
    }

    /// `resources` with canonical quantities in `limits` and `requests`; other keys unchanged.
    static func canonicalResources(_ key: String, _ value: Value) -> Value {
        guard key == "resources", case .object(var object) = value else { return value }
        for field in ["limits", "requests"] {
            guard case .object(let quantities)? = object[field] else { continue }
            object[field] = .object(Value.Object(quantities.map { ($0.key, Quantity.canonical($0.value)) }))
        }
        return .object(object)
    }
}

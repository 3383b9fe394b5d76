import MeshCore

/// Where a workload kind keeps its pod: the metadata and spec that injection rewrites.
struct Workload {
    /// Path of the pod metadata (`spec.template.metadata`; a CronJob's `spec.jobTemplate.metadata`).
    var metadataPath: [String]
    /// Path of the pod spec.
    var specPath: [String]

    static let template = Workload(metadataPath: ["spec", "template", "metadata"], specPath: ["spec", "template", "spec"])

    /// The kinds injection handles; every other kind passes through.
    static func forKind(_ kind: String) -> Workload? {
        switch kind {
        case "Pod": Workload(metadataPath: ["metadata"], specPath: ["spec"])
        case "CronJob":
            Workload(metadataPath: ["spec", "jobTemplate", "metadata"], specPath: ["spec", "jobTemplate", "spec", "template", "spec"])
        case "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job", "ReplicationController", "DeploymentConfig":
            template
        default: nil
        }
    }
}

extension Value {
    /// The value at `path` of nested mappings, or `nil`.
    func at(_ path: [String]) -> Value? {
        var value = self
        for key in path {
            guard let next = value[key] else { return nil }
            value = next
        }
        return value
    }

    /// Sets the value at `path`, creating mappings on the way.
    mutating func set(_ path: [String], to newValue: Value) {
        guard let first = path.first else {
            self = newValue
            return
        }
        if objectValue == nil { self = .object([:]) }
        if path.count == 1 {
            self[first] = newValue
            return
        }
        // Changed in place through the subscript's modify accessor, so the child is not copied.
        if self[first]?.objectValue == nil { self[first] = .object([:]) }
        self[first]!.set(Array(path.dropFirst()), to: newValue)
    }

    /// The string at `key` of a mapping, if it is one.
    func string(_ key: String) -> String? {
        self[key]?.stringValue
    }
}

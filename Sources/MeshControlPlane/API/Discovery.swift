import MeshCore

/// The discovery documents kubectl and client libraries read before anything else.
enum Discovery {
    /// The Kubernetes version the server reports (kubectl checks the skew against its own).
    static let kubernetesMinor = 36

    static func version(gitCommit: String) -> Value {
        [
            "major": "1", "minor": .string(String(kubernetesMinor)), "gitVersion": .string("v1.\(kubernetesMinor).0-meshctl"),
            "gitCommit": .string(gitCommit), "gitTreeState": "clean", "buildDate": "1970-01-01T00:00:00Z",
            "goVersion": "swift", "compiler": "swiftc", "platform": "linux/amd64",
        ]
    }

    static func coreVersions(serverAddress: String) -> Value {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    static func group(_ name: String, versions: [String]) -> Value {
        let entries: [Value] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return [
            "name": .string(name), "versions": .array(entries),
            "preferredVersion": entries.first ?? .null,
        ]
    }

    static func groupList(_ registry: ResourceRegistry) -> Value {
        let groups = registry.groups().filter { !$0.name.isEmpty }.map { group($0.name, versions: $0.versions) }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func resourceList(_ registry: ResourceRegistry, group: String, version: String) -> Value? {
        let types = registry.all.filter { $0.group == group && $0.version == version }.sorted { $0.name < $1.name }
        guard !types.isEmpty else { return nil }
        var resources: [Value] = []
        for type in types {
            var entry: Value = [
                "name": .string(type.name), "singularName": .string(type.singular), "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind),
                "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(Value.string)) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(Value.string)) }
            resources.append(entry)
            if type.hasStatus {
                resources.append([
                    "name": .string(type.name + "/status"), "singularName": "", "namespaced": .bool(type.namespaced),
                    "kind": .string(type.kind), "verbs": ["get", "patch", "update"],
                ])
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
                "resources": .array(resources)]
    }
}

import Crypto
import MeshCore

/// The OpenAPI v3 answers kubectl reads before `apply`: the index of group-versions and, per group-version,
/// the resource paths whose PATCH operations carry `x-kubernetes-group-version-kind` and the `fieldValidation`
/// parameter, which tells kubectl that the server validates fields itself. No component schemas are served, so
/// kubectl computes apply patches from its compiled-in types (strategic merge) or as merge patches (CRDs).
enum OpenAPIDocument {
    static func answer(_ groupVersion: String?, registry: ResourceRegistry) throws(APIError) -> APIResponse {
        let types = registry.all
        guard let groupVersion else {
            var paths = Value.Object()
            for group in registry.groups() {
                for version in group.versions {
                    let key = group.name.isEmpty ? "api/\(version)" : "apis/\(group.name)/\(version)"
                    let members = types.filter { $0.group == group.name && $0.version == version }
                    let hash = SHA256.hash(data: Array(members.map(\.name).sorted().joined(separator: ",").utf8))
                        .prefix(16).map { String(format: "%02X", $0) }.joined()
                    paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash)")]
                }
            }
            return .json(["paths": .object(paths)])
        }
        let parts = groupVersion.split(separator: "/").map(String.init)
        let (group, version): (String, String)
        switch (parts.first, parts.count) {
        case ("api", 2): (group, version) = ("", parts[1])
        case ("apis", 3): (group, version) = (parts[1], parts[2])
        default: throw APIError.notFoundPath("/openapi/v3/\(groupVersion)")
        }
        let members = types.filter { $0.group == group && $0.version == version }
        guard !members.isEmpty else { throw APIError.notFoundPath("/openapi/v3/\(groupVersion)") }
        var paths = Value.Object()
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let parameter: Value = ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true],
                                "description": "Strict, Warn or Ignore: how the server treats unknown and duplicate fields"]
        for type in members.sorted(by: { $0.name < $1.name }) {
            let gvk: Value = ["group": .string(group), "version": .string(version), "kind": .string(type.kind)]
            let operation: Value = ["operationId": .string("patch\(type.kind)"), "x-kubernetes-group-version-kind": gvk,
                                    "x-kubernetes-action": "patch", "parameters": [parameter],
                                    "responses": ["200": ["description": "OK"]]]
            let path = type.namespaced ? "\(prefix)/namespaces/{namespace}/\(type.name)/{name}" : "\(prefix)/\(type.name)/{name}"
            paths[path] = ["patch": operation, "parameters": [parameter]]
        }
        return .json([
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string("v1.\(Discovery.kubernetesMinor).0")],
            "paths": .object(paths), "components": ["schemas": [:]],
        ])
    }
}

import MeshCore
import Testing

@testable import MeshControlPlane

struct PatchTests {
    @Test func mergePatchRemovesNullsAndMergesObjects() {
        let result = MergePatch.apply(["a": ["b": 2, "c": nil], "d": [1]], to: ["a": ["b": 1, "c": 3, "e": 4], "d": [0, 0]])
        #expect(result == ["a": ["b": 2, "e": 4], "d": [1]])
    }

    @Test func jsonPatchOperations() throws {
        let patch: Value = [
            ["op": "add", "path": "/list/1", "value": "x"], ["op": "replace", "path": "/name", "value": "new"],
            ["op": "remove", "path": "/gone"], ["op": "copy", "from": "/name", "path": "/copy"],
            ["op": "test", "path": "/copy", "value": "new"],
        ]
        let result = try JSONPatch.apply(patch, to: ["list": ["a", "b"], "name": "old", "gone": true])
        #expect(result == ["list": ["a", "x", "b"], "name": "new", "copy": "new"])
        #expect(throws: APIError.self) { _ = try JSONPatch.apply([["op": "remove", "path": "/missing"]], to: [:]) }
        #expect(throws: APIError.self) { _ = try JSONPatch.apply(["op": "add"], to: [:]) }
    }

    @Test func strategicMergeUsesMergeKeysAndDirectives() throws {
        let original: Value = ["spec": ["containers": [["name": "a", "image": "a:1", "env": [["name": "X", "value": "1"]]],
                                                       ["name": "b", "image": "b:1"]],
                                        "ports": [["containerPort": 80], ["containerPort": 443]], "args": ["x", "y"]],
                               "metadata": ["finalizers": ["f1"]]]
        let patch: Value = ["spec": ["containers": [["name": "a", "env": [["name": "Y", "value": "2"]]], ["name": "b", "$patch": "delete"],
                                                    ["name": "c", "image": "c:1"]],
                                     "$setElementOrder/containers": [["name": "a"], ["name": "c"]],
                                     "ports": [["containerPort": 443, "name": "https"]], "args": ["z"]],
                            "metadata": ["finalizers": ["f2"]]]
        let result = try StrategicMergePatch.apply(patch, to: original)
        let containers = result["spec"]?["containers"]?.arrayValue ?? []
        #expect(containers.map { $0["name"]?.stringValue ?? "" } == ["a", "c"])
        #expect(containers[0]["env"]?.arrayValue?.count == 2)
        #expect(result["spec"]?["ports"]?[1]?["name"] == "https")
        #expect(result["spec"]?["args"] == ["z"])
        #expect(result["metadata"]?["finalizers"] == ["f1", "f2"])
        #expect(result["spec"]?["$setElementOrder/containers"] == nil)
    }
}

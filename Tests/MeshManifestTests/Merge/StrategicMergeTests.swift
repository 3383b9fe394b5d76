import MeshCore
import Testing

@testable import MeshManifest

@Suite struct StrategicMergeTests {
    @Test func containersMergeByNameAndPatchItemsComeFirst() {
        let original: Value = ["spec": ["containers": [["name": "app", "image": "a"]], "volumes": [["name": "data"]]]]
        let patch: Value = ["spec": [
            "containers": [["name": "proxy", "image": "p"], ["name": "app", "env": [["name": "X", "value": "1"]]]],
            "volumes": [["name": "istio", "emptyDir": [:]]],
        ]]
        let merged = StrategicMerge.mergePod(original, patch)
        #expect(merged["spec"]?["containers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["proxy", "app"])
        #expect(merged["spec"]?["containers"]?[1]?["image"] == "a")
        #expect(merged["spec"]?["containers"]?[1]?["env"]?[0]?["value"] == "1")
        #expect(merged["spec"]?["volumes"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["istio", "data"])
    }

    @Test func nullDeletesAndUnkeyedListsAreReplaced() {
        let original: Value = ["spec": ["containers": [["name": "c", "args": ["a", "b"], "resources": ["limits": ["cpu": "1"]]]]]]
        let patch: Value = ["spec": ["containers": [["name": "c", "args": ["z"], "resources": ["limits": ["cpu": nil]]]]]]
        let merged = StrategicMerge.mergePod(original, patch)
        #expect(merged["spec"]?["containers"]?[0]?["args"] == ["z"])
        #expect(merged["spec"]?["containers"]?[0]?["resources"]?["limits"] == [:])
    }

    @Test func portsMergeByContainerPortAndMountsByPath() {
        let original: Value = ["spec": ["containers": [[
            "name": "c", "ports": [["containerPort": 80, "name": "http"]],
            "volumeMounts": [["mountPath": "/a", "name": "a"]],
        ]]]]
        let patch: Value = ["spec": ["containers": [[
            "name": "c", "ports": [["containerPort": 80, "protocol": "TCP"]],
            "volumeMounts": [["mountPath": "/a", "readOnly": true]],
        ]]]]
        let container = StrategicMerge.mergePod(original, patch)["spec"]?["containers"]?[0]
        #expect(container?["ports"] == [["containerPort": 80, "name": "http", "protocol": "TCP"]])
        #expect(container?["volumeMounts"] == [["mountPath": "/a", "name": "a", "readOnly": true]])
    }
}

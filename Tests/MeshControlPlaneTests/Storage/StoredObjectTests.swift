import MeshCore
import Testing

@testable import MeshControlPlane

/// The store keeps objects as JSON plus a summary: the summary must answer exactly as the decoded object would.
struct StoredObjectTests {
    let pod: Value = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "p", "namespace": "ns", "uid": "u1", "labels": ["app": "web", "tier": "fe"],
                     "ownerReferences": [["uid": "rs-1"], ["uid": "rs-2"]]],
        "spec": ["nodeName": "n1", "priority": 7, "hostNetwork": true],
        "status": ["phase": "Running"],
    ]

    @Test func decodesToWhatWasStoredAndKeepsTheSummary() {
        let object = StoredObject(resourceVersion: 3, value: pod)
        #expect(object.value == pod)
        #expect(object.json == Array(JSON.emit(pod).utf8))
        #expect(object.namespace == "ns" && object.name == "p")
        #expect(object.summary.apiVersion == "v1")
        #expect(object.summary.uid == "u1")
        #expect(object.summary.labels == ["app": "web", "tier": "fe"])
        #expect(object.summary.ownerUIDs == ["rs-1", "rs-2"])
    }

    @Test func settingTheValueReencodesAndResummarizes() throws {
        var object = StoredObject(resourceVersion: 3, value: pod)
        object.value["metadata"]?["labels"] = ["app": "api"]
        object.value["spec"]?["nodeName"] = "n2"
        #expect(object.summary.labels == ["app": "api"])
        #expect(try JSON.parse(bytes: object.json)["spec"]?["nodeName"] == "n2")
        #expect(ObjectFilter(fields: try? FieldSelector(parsing: "spec.nodeName=n2")).matches(object))
        let stamped = object.stamped(9)
        #expect(stamped.resourceVersion == 9)
        #expect(stamped.value["metadata"]?["resourceVersion"] == "9")
        #expect(stamped.summary == object.summary)
    }

    @Test(arguments: [
        "metadata.name=p", "metadata.name!=p", "metadata.namespace=ns", "metadata.namespace=other",
        "spec.nodeName=n1", "spec.nodeName=", "status.phase!=Pending", "status.phase=Running,spec.nodeName=n9",
        "spec.priority=7", "spec.hostNetwork=true", "spec.missing=", "spec.missing!=", "metadata.uid=u1",
    ])
    func fieldSelectorsOnTheSummaryMatchTheDecodedObject(_ text: String) throws {
        let selector = try FieldSelector(parsing: text)
        for value in [pod, ["apiVersion": "v1", "metadata": ["name": "q"]] as Value] {
            let object = StoredObject(resourceVersion: 1, value: value)
            #expect(ObjectFilter(fields: selector).matches(object) == selector.matches(value), "\(text) on \(value)")
        }
    }
}

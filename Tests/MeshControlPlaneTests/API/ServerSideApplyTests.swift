import Foundation
import MeshCore
import MeshKube
import Testing

/// Server-side apply over real HTTPS with meshctl's client: managed fields per manager, 409 on a conflict,
/// ownership moved by force.
@Suite(.serialized) struct ServerSideApplyTests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster()
        client = try cluster.client()
    }

    func settings(_ mode: String) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "labels": ["team": "mesh"]], "data": ["mode": .string(mode)]]
    }

    func apply(_ mode: String, manager: String, force: Bool = false) throws(KubeError) -> Value {
        try client.patch(.configMaps, name: "settings", namespace: "default", patch: settings(mode), type: .apply,
                         fieldManager: manager, force: force)
    }

    @Test func appliesRecordManagersAndRefuseToTakeOwnedFields() throws {
        let created = try apply("strict", manager: "platform")
        let entry = try #require(created["metadata"]?["managedFields"]?[0])
        #expect(entry["manager"] == "platform")
        #expect(entry["operation"] == "Apply")
        #expect(entry["apiVersion"] == "v1")
        #expect(entry["fieldsType"] == "FieldsV1")
        #expect(entry["time"]?.stringValue?.hasSuffix("Z") == true)
        #expect(entry["fieldsV1"] == ["f:data": ["f:mode": [:]], "f:metadata": ["f:labels": ["f:team": [:]]]])

        // The same values: shared, no conflict, and a repeated apply writes nothing.
        let shared = try apply("strict", manager: "audit")
        #expect(shared["metadata"]?["managedFields"]?.arrayValue?.count == 2)
        #expect(try apply("strict", manager: "audit")["metadata"]?["resourceVersion"] == shared["metadata"]?["resourceVersion"])

        do {
            _ = try apply("permissive", manager: "tuner")
            Issue.record("an apply took a field another manager owns")
        } catch {
            #expect(error.httpStatus == 409)
            #expect(error.message.contains(#"conflict with "platform": .data.mode"#))
            #expect(error.message.contains(#"conflict with "audit": .data.mode"#))
        }
        #expect(try client.get(.configMaps, name: "settings", namespace: "default")["data"]?["mode"] == "strict")

        let forced = try apply("permissive", manager: "tuner", force: true)
        #expect(forced["data"]?["mode"] == "permissive")
        let owners = (forced["metadata"]?["managedFields"]?.arrayValue ?? []).filter { $0["fieldsV1"]?["f:data"]?["f:mode"] != nil }
        #expect(owners.compactMap { $0["manager"]?.stringValue } == ["tuner"])
    }

    @Test func updatesTakeTheFieldsTheyChange() throws {
        _ = try apply("strict", manager: "platform")
        _ = try client.patch(.configMaps, name: "settings", namespace: "default", patch: ["data": ["mode": "audit"]], type: .merge,
                             fieldManager: "operator")
        let entries = try client.get(.configMaps, name: "settings", namespace: "default")["metadata"]?["managedFields"]?.arrayValue ?? []
        #expect(entries.first { $0["manager"] == "operator" }?["operation"] == "Update")
        #expect(entries.first { $0["manager"] == "operator" }?["fieldsV1"] == ["f:data": ["f:mode": [:]]])
        #expect(entries.first { $0["manager"] == "platform" }?["fieldsV1"] == ["f:metadata": ["f:labels": ["f:team": [:]]]])
        do {
            _ = try apply("strict", manager: "platform")
            Issue.record("an apply took back a field an update changed")
        } catch { #expect(error.httpStatus == 409 && error.reason == "Conflict") }
    }

    @Test func fieldsAnApplierStopsSendingAreRemovedUnlessAnotherManagerHasThem() throws {
        func configMap(labels: Value, data: Value) -> Value {
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "trimmed", "labels": labels], "data": data]
        }
        func apply(_ value: Value, _ manager: String) throws(KubeError) -> Value {
            try client.patch(.configMaps, name: "trimmed", namespace: "default", patch: value, type: .apply, fieldManager: manager)
        }
        _ = try apply(configMap(labels: ["team": "mesh", "tier": "edge"], data: ["mode": "strict", "level": "3"]), "platform")
        _ = try apply(configMap(labels: [:], data: ["level": "3"]), "audit")
        let result = try apply(configMap(labels: ["team": "mesh"], data: ["mode": "strict"]), "platform")
        #expect(result["metadata"]?["labels"] == ["team": "mesh"])
        #expect(result["data"] == ["mode": "strict", "level": "3"])
    }
}

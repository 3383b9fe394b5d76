import MeshCore
import Testing

@testable import MeshControlPlane

/// Field sets and managed fields, without a server.
struct FieldSetTests {
    let deployment: Value = [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": ["app": "web"]],
        "spec": ["replicas": 2, "template": ["spec": ["containers": [["name": "web", "image": "nginx:1", "args": ["-v"]]]]]],
    ]

    @Test func aConfigurationSetsItsLeavesAndKeyedItems() {
        let fields = FieldSet(setBy: deployment)
        let container = #"k:{"name":"web"}"#
        #expect(fields.leaves == [
            ["f:metadata", "f:labels", "f:app"],
            ["f:spec", "f:replicas"],
            ["f:spec", "f:template", "f:spec", "f:containers", container, "."],
            ["f:spec", "f:template", "f:spec", "f:containers", container, "f:name"],
            ["f:spec", "f:template", "f:spec", "f:containers", container, "f:image"],
            ["f:spec", "f:template", "f:spec", "f:containers", container, "f:args"],
        ])
        #expect(FieldSet(fieldsV1: fields.fieldsV1) == fields)
        #expect(fields.fieldsV1["f:spec"]?["f:template"]?["f:spec"]?["f:containers"]?[container]?["."] == [:])
        #expect(FieldSet.value(at: ["f:spec", "f:template", "f:spec", "f:containers", container, "f:image"], in: deployment) == "nginx:1")
        #expect(FieldSet.describe(["f:spec", "f:template", "f:spec", "f:containers", container, "f:image"])
                == #".spec.template.spec.containers[name="web"].image"#)
    }

    @Test func anApplyConflictsOnlyWhereAnotherManagerOwnsADifferentValue() {
        var fields = ManagedFields(nil)
        fields.update(manager: "kubectl-create", old: nil, new: deployment, apiVersion: "apps/v1", time: "T1", subresource: nil)
        var sameValues = fields
        #expect(sameValues.apply(manager: "ci", configuration: deployment, current: deployment, apiVersion: "apps/v1", time: "T2", force: false).isEmpty)
        #expect(sameValues.entries.map(\.manager) == ["kubectl-create", "ci"])

        var scaled = deployment
        scaled["spec"]?["replicas"] = 5
        var refused = fields
        let conflicts = refused.apply(manager: "ci", configuration: scaled, current: deployment, apiVersion: "apps/v1", time: "T2", force: false)
        #expect(conflicts == [ManagedFields.Conflict(manager: "kubectl-create", path: ["f:spec", "f:replicas"])])
        #expect(refused == fields)

        var forced = fields
        #expect(forced.apply(manager: "ci", configuration: scaled, current: deployment, apiVersion: "apps/v1", time: "T2", force: true).isEmpty)
        #expect(forced.entries[0].fields.contains(["f:spec", "f:replicas"]) == false)
        #expect(forced.entries[1].fields.contains(["f:spec", "f:replicas"]))
    }

    @Test func anUpdateTakesWhatItChangedAndRepeatedAppliesKeepTheirTime() {
        var fields = ManagedFields(nil)
        _ = fields.apply(manager: "ci", configuration: deployment, current: nil, apiVersion: "apps/v1", time: "T1", force: false)
        var scaled = deployment
        scaled["spec"]?["replicas"] = 3
        fields.update(manager: "kubectl-scale", old: deployment, new: scaled, apiVersion: "apps/v1", time: "T2", subresource: nil)
        #expect(fields.entries.first { $0.manager == "kubectl-scale" }?.fields == FieldSet([["f:spec", "f:replicas"]]))
        #expect(fields.entries.first { $0.manager == "ci" }?.fields.contains(["f:spec", "f:replicas"]) == false)
        _ = fields.apply(manager: "kubectl-scale", configuration: ["spec": ["replicas": 3]], current: scaled, apiVersion: "apps/v1", time: "T3", force: false)
        let again = fields
        _ = fields.apply(manager: "kubectl-scale", configuration: ["spec": ["replicas": 3]], current: scaled, apiVersion: "apps/v1", time: "T4", force: false)
        #expect(fields == again)
        var unlabelled = scaled
        unlabelled["metadata"]?["labels"] = nil
        fields.prune(to: unlabelled)
        #expect(fields.entries.allSatisfy { !$0.fields.contains(["f:metadata", "f:labels", "f:app"]) })
    }
}

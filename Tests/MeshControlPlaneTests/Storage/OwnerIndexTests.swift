import MeshCore
import Testing

@testable import MeshControlPlane

struct OwnerIndexTests {
    func object(_ uid: String, owners: [String] = []) -> ObjectSummary {
        ObjectSummary(["metadata": ["uid": .string(uid), "ownerReferences": .array(owners.map { ["uid": .string($0)] })]])
    }

    @Test func dependentsFollowReplacementsAndRemovals() {
        var index = OwnerIndex()
        let rs = ObjectKey(resource: "apps/replicasets", namespace: "default", name: "rs")
        let pod = ObjectKey(resource: "/pods", namespace: "default", name: "p")
        index.update(rs, object("rs-uid", owners: ["deploy-uid"]))
        index.update(pod, object("pod-uid", owners: ["rs-uid", "other-uid"]))
        #expect(index.dependents(of: "deploy-uid") == [rs])
        #expect(index.dependents(of: "rs-uid") == [pod])
        #expect(index.key(uid: "pod-uid") == pod)
        index.update(pod, object("pod-uid", owners: ["other-uid"]))
        #expect(index.dependents(of: "rs-uid").isEmpty)
        #expect(index.dependents(of: "other-uid") == [pod])
        index.update(pod, nil)
        #expect(index.dependents(of: "other-uid").isEmpty)
        #expect(index.key(uid: "pod-uid") == nil)
    }
}

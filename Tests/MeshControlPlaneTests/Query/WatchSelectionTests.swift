import MeshCore
import Testing

@testable import MeshControlPlane

/// How a selector watch translates a committed change: into the selection is ADDED, out of it is DELETED with
/// the last matching state, outside it is nothing.
struct WatchSelectionTests {
    func object(_ tier: String, version: Int) -> StoredObject {
        let value: Value = ["metadata": ["name": "c", "namespace": "default", "resourceVersion": .string(String(version)),
                                         "labels": ["tier": .string(tier)]]]
        return StoredObject(resourceVersion: version, value: value, json: Array(JSON.emit(value).utf8))
    }

    func modified(from old: String, to new: String) -> StoreEvent {
        StoreEvent(kind: .modified, resource: "/configmaps", object: object(new, version: 8), previous: object(old, version: 7))
    }

    let frontEnd = ObjectFilter(labels: try? LabelSelector(parsing: "tier=fe"))

    @Test func leavingTheSelectionIsADeletionOfTheLastMatchingState() throws {
        let event = try #require(frontEnd.watchEvent(for: modified(from: "fe", to: "db")))
        #expect(event.kind == .deleted)
        #expect(event.object.value["metadata"]?["labels"]?["tier"] == "fe")
        #expect(event.object.resourceVersion == 8)
        #expect(try JSON.parse(bytes: event.object.json)["metadata"]?["resourceVersion"] == "8")
    }

    @Test func enteringTheSelectionIsAnAddition() throws {
        let event = try #require(frontEnd.watchEvent(for: modified(from: "db", to: "fe")))
        #expect(event.kind == .added)
        #expect(event.object.value["metadata"]?["labels"]?["tier"] == "fe")
    }

    @Test func changesInsideStayModificationsAndOutsideAreDropped() {
        #expect(frontEnd.watchEvent(for: modified(from: "fe", to: "fe"))?.kind == .modified)
        #expect(frontEnd.watchEvent(for: modified(from: "db", to: "db")) == nil)
        let deletion = StoreEvent(kind: .deleted, resource: "/configmaps", object: object("db", version: 9), previous: object("db", version: 8))
        #expect(frontEnd.watchEvent(for: deletion) == nil)
        let addition = StoreEvent(kind: .added, resource: "/configmaps", object: object("fe", version: 9))
        #expect(frontEnd.watchEvent(for: addition)?.kind == .added)
    }
}

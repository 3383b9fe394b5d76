import Foundation
import MeshCore
import MeshTestSupport
import NIOConcurrencyHelpers
import Testing

@testable import MeshControlPlane

struct ObjectStoreTests {
    func object(_ name: String, _ value: Int = 0) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "ns"], "data": ["n": .int(value)]]
    }

    @Test func versionsIncreaseAndSurviveReopening() throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.db").path
        do {
            let store = try ObjectStore(path: path)
            var last = 0
            for index in 0..<20 {
                let written = try store.write("/configmaps", namespace: "ns", name: "o\(index % 5)") { _ in .put(object("o\(index % 5)", index)) }
                let version = try #require(written.object?.resourceVersion)
                #expect(version > last)
                last = version
            }
            try store.write("/configmaps", namespace: "ns", name: "o0") { _ in .delete }
            #expect(store.resourceVersion == 21)
        }
        let reopened = try ObjectStore(path: path)
        #expect(reopened.resourceVersion == 21)
        #expect(reopened.list("/configmaps").items.map(\.name) == ["o1", "o2", "o3", "o4"])
        #expect(reopened.get("/configmaps", namespace: "ns", name: "o4")?.value["data"]?["n"] == 19)
        let next = try reopened.write("/configmaps", namespace: "ns", name: "new") { _ in .put(object("new")) }
        #expect(next.object?.resourceVersion == 22)
    }

    @Test func aFailedDecisionWritesNothing() throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ObjectStore(path: directory.appendingPathComponent("store.db").path)
        #expect(throws: APIError.self) {
            try store.write("/configmaps", namespace: "ns", name: "x") { _ throws(APIError) in throw APIError.badRequest("no") }
        }
        #expect(store.resourceVersion == 0)
        #expect(store.list("/configmaps").items.isEmpty)
    }

    @Test func watchReplaysHistoryAndRefusesCompactedVersions() throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ObjectStore(path: directory.appendingPathComponent("store.db").path, historyCapacity: 3)
        for index in 0..<5 { try store.write("/configmaps", namespace: "ns", name: "o\(index)") { _ in .put(object("o\(index)")) } }
        let seen = NIOLockedValueBox<[Int]>([])
        let id = try store.watch("/configmaps", from: 3) { event in seen.withLockedValue { $0.append(event.object.resourceVersion) } }
        #expect(seen.withLockedValue { $0 } == [4, 5])
        try store.write("/configmaps", namespace: "ns", name: "o9") { _ in .put(object("o9")) }
        #expect(seen.withLockedValue { $0 } == [4, 5, 6])
        store.stopWatching(id)
        #expect(throws: APIError.self) { _ = try store.watch("/configmaps", from: 1) { _ in } }
    }
}

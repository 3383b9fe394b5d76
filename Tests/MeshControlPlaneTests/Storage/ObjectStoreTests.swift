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

    @Test func historyIsBoundedByTheBytesItHolds() throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.db").path
        let size = try ObjectStore(path: path + ".probe").write("/configmaps", namespace: "ns", name: "o1") { _ in .put(object("o1")) }
            .object?.json.count ?? 0
        let store = try ObjectStore(path: path, historyCapacity: 100, historyBytes: 4 * size)
        for index in 1...9 { try store.write("/configmaps", namespace: "ns", name: "o\(index)") { _ in .put(object("o\(index)")) } }
        let seen = NIOLockedValueBox<[Int]>([])
        let id = try store.watch("/configmaps", from: 5) { event in seen.withLockedValue { $0.append(event.object.resourceVersion) } }
        store.stopWatching(id)
        #expect(seen.withLockedValue { $0 } == [6, 7, 8, 9])
        #expect(throws: APIError.self) { _ = try store.watch("/configmaps", from: 4) { _ in } }
    }

    @Test func concurrentWritersShareCommitsAndLoseNothing() throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.db").path
        let threads = 8, perThread = 40
        do {
            let store = try ObjectStore(path: path)
            let seen = NIOLockedValueBox<[Int]>([])
            let id = try store.watch("/configmaps", from: 0) { event in seen.withLockedValue { $0.append(event.object.resourceVersion) } }
            let versions = NIOLockedValueBox<[Int]>([])
            let created = NIOLockedValueBox(0)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in 0..<perThread {
                    let name = "t\(thread)-\(index)"
                    if let written = try? store.write("/configmaps", namespace: "ns", name: name, { _ in .put(object(name)) }),
                       let version = written.object?.resourceVersion {
                        // Acknowledged means visible (and durable): a read right after sees it.
                        #expect(store.get("/configmaps", namespace: "ns", name: name)?.resourceVersion == version)
                        versions.withLockedValue { $0.append(version) }
                    }
                    // Everyone races for one shared name: exactly one create wins (decided against queued changes).
                    if (try? store.write("/configmaps", namespace: "ns", name: "shared-\(index)", { current throws(APIError) in
                        if current != nil { throw APIError.badRequest("exists") }
                        return .put(object("shared-\(index)"))
                    })) != nil { created.withLockedValue { $0 += 1 } }
                }
            }
            store.stopWatching(id)
            let all = versions.withLockedValue { $0 }
            #expect(all.count == threads * perThread)
            #expect(created.withLockedValue { $0 } == perThread)
            let total = threads * perThread + perThread
            #expect(store.resourceVersion == total)
            #expect(seen.withLockedValue { $0 } == Array(1...total))
            // Writers that arrived during an fsync shared the next transaction.
            #expect(store.transactions < total)
        }
        let reopened = try ObjectStore(path: path)
        #expect(reopened.list("/configmaps").items.count == threads * perThread + perThread)
        #expect(reopened.resourceVersion == threads * perThread + perThread)
    }
}

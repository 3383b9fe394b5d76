import MeshCore
import Testing

@testable import MeshControlPlane

struct ChangeHistoryTests {
    func event(_ version: Int, padding: Int = 0, previous: Bool = false) -> StoreEvent {
        let value: Value = ["metadata": ["name": .string("o\(version)")], "data": .string(String(repeating: "x", count: padding))]
        let object = StoredObject(resourceVersion: version, value: value)
        return StoreEvent(kind: previous ? .modified : .added, resource: "/configmaps", object: object,
                          previous: previous ? object : nil)
    }

    @Test func keepsAtMostCapacityChangesAndRemembersWhatItDropped() {
        var history = ChangeHistory(capacity: 3, byteLimit: .max, startingAt: 10)
        #expect(history.compactedThrough == 10)
        for version in 11...200 { history.append(event(version)) }
        #expect(history.oldestFirst.map(\.object.resourceVersion) == [198, 199, 200])
        #expect(history.newestFirst.map(\.object.resourceVersion) == [200, 199, 198])
        #expect(history.compactedThrough == 197)
    }

    @Test func dropsTheOldestChangesOnceTheirBytesExceedTheLimit() {
        let size = event(1, padding: 1000).object.json.count
        var history = ChangeHistory(capacity: 1000, byteLimit: 5 * size, startingAt: 0)
        for version in 1...5 { history.append(event(version, padding: 1000)) }
        #expect(history.count == 5 && history.bytes == 5 * size)
        history.append(event(6, padding: 1000))
        #expect(history.oldestFirst.map(\.object.resourceVersion) == [2, 3, 4, 5, 6])
        #expect(history.compactedThrough == 1)
        history.append(event(7, padding: 1000, previous: true))  // holds two states: two slots' worth
        #expect(history.oldestFirst.map(\.object.resourceVersion) == [4, 5, 6, 7])
        #expect(history.bytes == 5 * size)
    }

    @Test func theNewestChangeStaysEvenWhenAloneItIsTooLarge() {
        var history = ChangeHistory(capacity: 10, byteLimit: 100, startingAt: 0)
        history.append(event(1, padding: 500))
        history.append(event(2, padding: 500))
        #expect(history.oldestFirst.map(\.object.resourceVersion) == [2])
        #expect(history.compactedThrough == 1)
    }
}

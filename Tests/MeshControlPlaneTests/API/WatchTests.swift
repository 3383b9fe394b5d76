import Foundation
import MeshCore
import MeshKube
import Testing

/// Watches over real HTTPS: events in order, resume from a version, bookmarks, 410 for compacted history.
@Suite(.serialized) struct WatchTests {
    let cluster: LocalCluster
    let client: KubeClient

    init() throws {
        cluster = try LocalCluster(bookmarkInterval: 0.2, historyCapacity: 100)
        client = try cluster.client()
    }

    func configMap(_ name: String) -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["k": "v"]]
    }

    @Test func eventsFromAListVersionArriveInOrder() async throws {
        let list = try client.list(.configMaps, namespace: "default")
        let watch = client.watch(.configMaps, namespace: "default", resourceVersion: list.resourceVersion)
        _ = try client.create(.configMaps, configMap("w1"), namespace: "default")
        _ = try client.patch(.configMaps, name: "w1", namespace: "default", patch: ["data": ["k": "v2"]], type: .merge)
        try client.delete(.configMaps, name: "w1", namespace: "default")
        let events = try await watch.collect(count: 3)
        #expect(events.map(\.type) == [.added, .modified, .deleted])
        let versions = events.compactMap { $0.resourceVersion.flatMap(Int.init) }
        #expect(versions == versions.sorted() && Set(versions).count == 3)
    }

    @Test func resumingReplaysOnlyLaterChanges() async throws {
        let first = try client.create(.configMaps, configMap("r1"), namespace: "default")
        _ = try client.create(.configMaps, configMap("r2"), namespace: "default")
        let watch = client.watch(.configMaps, namespace: "default", resourceVersion: KubeObject(first).resourceVersion)
        let events = try await watch.collect(count: 1)
        #expect(events.map { KubeObject($0.object).name } == ["r2"])
    }

    @Test func bookmarksAndSelectorsOnTheRawStream() throws {
        _ = try client.create(.configMaps, configMap("b1"), namespace: "default")
        let response = try client.send("GET", path: APIResource.configMaps.path(namespace: "default"),
                                       query: [("watch", "true"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", "1"),
                                               ("fieldSelector", "metadata.name=b1")])
        let lines = String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        let types = lines.compactMap { try? JSON.parse(String($0))["type"]?.stringValue }
        #expect(types.first == "ADDED")
        #expect(types.contains("BOOKMARK"))
        #expect(types.filter { $0 == "ADDED" }.count == 1)
    }

    @Test func aSelectorWatchSeesObjectsEnterAndLeaveTheSelection() async throws {
        var labelled = configMap("moving")
        labelled["metadata"]?["labels"] = ["tier": "db"]
        let created = try client.create(.configMaps, labelled, namespace: "default")
        let watch = client.watch(.configMaps, namespace: "default", options: ListOptions(labelSelector: "tier=fe"),
                                 resourceVersion: KubeObject(created).resourceVersion)
        _ = try client.patch(.configMaps, name: "moving", namespace: "default", patch: ["metadata": ["labels": ["tier": "fe"]]], type: .merge)
        _ = try client.patch(.configMaps, name: "moving", namespace: "default", patch: ["data": ["k": "v2"]], type: .merge)
        let left = try client.patch(.configMaps, name: "moving", namespace: "default",
                                    patch: ["metadata": ["labels": ["tier": "db"]], "data": ["k": "v3"]], type: .merge)
        _ = try client.patch(.configMaps, name: "moving", namespace: "default", patch: ["data": ["k": "v4"]], type: .merge)
        _ = try client.patch(.configMaps, name: "moving", namespace: "default", patch: ["metadata": ["labels": ["tier": "fe"]]], type: .merge)
        let events = try await watch.collect(count: 4)
        #expect(events.map(\.type) == [.added, .modified, .deleted, .added])
        // The DELETED event carries the last state that matched, at the version of the change that made it leave.
        let deleted = try #require(events.count == 4 ? events[2].object : nil)
        #expect(deleted["metadata"]?["labels"]?["tier"] == "fe")
        #expect(deleted["data"]?["k"] == "v2")
        #expect(KubeObject(deleted).resourceVersion == KubeObject(left).resourceVersion)
        #expect(events.last?.object["data"]?["k"] == "v4")
    }

    @Test func aTooOldVersionIsGone() throws {
        // The history holds 100 changes: after 120 more, version 1 is older than anything retained.
        for index in 0..<120 { _ = try client.create(.configMaps, configMap("old-\(index)"), namespace: "default") }
        let response = try client.send("GET", path: APIResource.configMaps.path(namespace: "default"),
                                       query: [("watch", "true"), ("resourceVersion", "1"), ("timeoutSeconds", "1")])
        let line = String(decoding: response.body, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let event = try JSON.parse(line)
        #expect(event["type"] == "ERROR")
        #expect(event["object"]?["code"] == 410)
    }

    @Test func tableWatchesSendColumnsOnce() throws {
        _ = try client.create(.configMaps, configMap("t1"), namespace: "default")
        _ = try client.create(.configMaps, configMap("t2"), namespace: "default")
        let response = try client.send("GET", path: APIResource.configMaps.path(namespace: "default"),
                                       query: [("watch", "true"), ("timeoutSeconds", "1")],
                                       accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
        let events = String(decoding: response.body, as: UTF8.self).split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
        #expect(events.count >= 2)
        #expect(events.first?["object"]?["kind"] == "Table")
        #expect(events.first?["object"]?["columnDefinitions"]?.arrayValue?.isEmpty == false)
        #expect(events.last?["object"]?["columnDefinitions"]?.arrayValue?.isEmpty == true)
    }
}

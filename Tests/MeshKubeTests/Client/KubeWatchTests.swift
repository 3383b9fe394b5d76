import Foundation
import MeshCore
import Testing

@testable import MeshKube

@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed to run the HTTPS test server"))
struct KubeWatchTests {
    /// The first `count` events, or fewer if `seconds` pass first (the watch is stopped either way).
    func collect(_ watch: KubeWatch, count: Int, seconds: Double = 20) async throws -> [WatchEvent] {
        let timer = Task {
            try await Task.sleep(for: .seconds(seconds))
            watch.stop()
        }
        defer { timer.cancel() }
        var events: [WatchEvent] = []
        for try await event in watch.events {
            events.append(event)
            if events.count == count { break }
        }
        watch.stop()
        return events
    }

    func names(_ events: [WatchEvent]) -> [String] {
        events.filter { $0.type == .added }.compactMap { $0.object["metadata"]?["name"]?.stringValue }
    }

    @Test func eventsCutAcrossChunksAreDecodedOneByOne() async throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let watch = try cluster.client().watch(.configMaps, namespace: "plain", resourceVersion: "0")
        let events = try await collect(watch, count: 5)
        #expect(events.map(\.type) == [.added, .added, .bookmark, .added, .added])
        #expect(names(events) == ["cm-1", "cm-2", "cm-3", "cm-4"])
        #expect(events[2].resourceVersion == "2")
        let query = try cluster.requests().first?["query"] as? [String: String]
        #expect(query?["watch"] == "1")
        #expect(query?["allowWatchBookmarks"] == "true")
        #expect(query?["resourceVersion"] == "0")
    }

    @Test func aDroppedConnectionResumesFromTheLastResourceVersion() async throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let watch = try cluster.client().watch(.configMaps, namespace: "drop", resourceVersion: "0")
        let events = try await collect(watch, count: 5)
        #expect(names(events) == ["cm-1", "cm-2", "cm-3", "cm-4"])
        #expect(watch.connections >= 2)
        let versions = try cluster.requests().compactMap { ($0["query"] as? [String: String])?["resourceVersion"] }
        #expect(Array(versions.prefix(2)) == ["0", "2"])
    }

    @Test func goneRelistsAndWatchesFromTheFreshVersion() async throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let watch = try cluster.client().watch(.configMaps, namespace: "gone", resourceVersion: "1")
        let events = try await collect(watch, count: 2)
        #expect(events.first?.type == .relisted)
        #expect(events.first?.object["items"]?.arrayValue?.count == 3)
        #expect(events.first?.object["metadata"]?["resourceVersion"]?.stringValue == "10")
        #expect(events.last?.object["metadata"]?["name"]?.stringValue == "cm-11")
        #expect(watch.relists == 1)
    }

    @Test func aRefusedWatchEndsWithTheServersError() async throws {
        let cluster = try TestCluster.start(arguments: ["--tokens", "good"])
        let watch = try cluster.client(.token("bad")).watch(.configMaps, namespace: "plain")
        await #expect(throws: KubeError.self) { _ = try await collect(watch, count: 1) }
    }

    @Test func stopEndsTheStream() async throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let watch = try cluster.client().watch(.configMaps, namespace: "plain", resourceVersion: "0")
        let first = try await collect(watch, count: 1)
        #expect(first.count == 1)
        var rest = 0
        for try await _ in watch.events { rest += 1 }  // finishes: stop() was called
        #expect(rest >= 0)
    }
}

struct WatchLineSplitterTests {
    @Test func linesAreReassembledAcrossChunks() {
        var splitter = WatchLineSplitter()
        #expect(splitter.push(Data("{\"a\":".utf8)).isEmpty)
        #expect(splitter.push(Data("1}\n{\"b\"".utf8)) == [Data("{\"a\":1}".utf8)])
        #expect(splitter.push(Data(":2}\n\n{\"c\":3}\n".utf8)) == [Data("{\"b\":2}".utf8), Data("{\"c\":3}".utf8)])
        _ = splitter.push(Data("{\"partial".utf8))
        splitter.reset()
        #expect(splitter.push(Data("{}\n".utf8)) == [Data("{}".utf8)])
    }
}

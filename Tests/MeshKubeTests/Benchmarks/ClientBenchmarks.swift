import Foundation
import Testing

@testable import MeshKube

/// Figures, not assertions on time: run with `MESHKUBE_BENCH=1 swift test --filter ClientBenchmarks`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MESHKUBE_BENCH"] == "1" && TestTools.available,
                "set MESHKUBE_BENCH=1 to print benchmark figures"))
struct ClientBenchmarks {
    static func memory(_ field: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0  // kB
    }

    @Test func listOf10000Pods() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous", "--pods", "10000", "--pod-padding", "2800"])
        let client = try cluster.client()
        let raw = try client.send("GET", path: "/api/v1/namespaces/bench/pods").body  // warm the server's cache
        let before = Self.memory("VmRSS")
        let start = ContinuousClock.now
        let list = try client.list(.pods, namespace: "bench", options: ListOptions(pageSize: 0))
        var containers = 0
        for item in list.items { containers += KubeObject(item).containers.count }
        let elapsed = ContinuousClock.now - start
        let peak = Self.memory("VmHWM")
        print("BENCH list: \(list.items.count) pods, \(raw.count / 1_000_000) MB JSON, fetched+decoded+iterated in \(elapsed), "
              + "RSS before \(before / 1024) MB, peak \(peak / 1024) MB (\(String(format: "%.1f", Double(peak - before) * 1024 / Double(raw.count)))x payload above baseline)")
        #expect(containers == 10000)
    }

    @Test func hundredGetsReuseOneConnection() throws {
        let cluster = try TestCluster.start(arguments: ["--anonymous"])
        let client = try cluster.client()
        let start = ContinuousClock.now
        for _ in 0..<100 { _ = try client.serverVersion() }
        let elapsed = ContinuousClock.now - start
        print("BENCH 100 GETs over TLS: \(elapsed), connections opened: \(client.connectionsOpened), HTTP/\(client.lastHTTPVersion)")
        #expect(client.connectionsOpened == 1)
    }
}

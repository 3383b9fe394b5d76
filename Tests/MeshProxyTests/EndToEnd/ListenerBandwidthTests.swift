import Foundation
import Testing

extension BandwidthTests {
    /// Runs `body` on a thread of its own: the blocking socket calls of several connections at once must not
    /// hold the few threads Swift concurrency has.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    @Test("two connections through a 64 KiB/s per-listener limit share it: 100 KB each way on each takes ~2 s in all, intact")
    func perListenerShared() async throws {
        let sidecar = try await EchoSidecar.start(listener: ", bandwidth: {perListener: 64Ki}")
        defer { Task { await sidecar.stop() } }
        let port = sidecar.port

        let payload = [UInt8]((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let connections = try (0..<2).map { _ in try KeepAliveConnection(port: port) }
        let started = ContinuousClock.now
        let echoed = await withTaskGroup(of: [UInt8].self) { tasks in
            for connection in connections {
                tasks.addTask {
                    async let reply = Self.onThread { connection.readAllBytes() }
                    let sent = await Self.onThread { () -> Bool in
                        defer { connection.finishSending() }
                        return connection.send(payload)
                    }
                    return sent ? await reply : []
                }
            }
            return await tasks.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - started
        for reply in echoed {
            #expect(reply.count == payload.count + 4 && reply.prefix(payload.count).elementsEqual(payload), "\(reply.count) bytes came back")
        }
        // 200,000 bytes each way in all, less one second of burst, at 65,536 bytes/s: about 2.05 s. Each connection
        // on its own limit would be done in about 0.5 s.
        #expect(elapsed >= .milliseconds(1900), "took \(elapsed): the connections did not share the listener's limit")
        // A loose upper bound (a busy machine adds scheduling delay): throttling far below the limit fails it.
        #expect(elapsed < .seconds(10), "took \(elapsed): throttled below the listener's limit")
    }
}

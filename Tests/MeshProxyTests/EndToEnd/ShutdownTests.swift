import Foundation
import MeshTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// The real `meshctl proxy run` process: SIGTERM drains in-flight requests, refuses new connections, exits 0.
@Suite("Graceful shutdown of meshctl proxy run", .serialized)
struct ShutdownTests {
    /// The `meshctl` executable that `swift test` built next to the test bundle.
    static var meshctl: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().path,
            Bundle.main.bundleURL.deletingLastPathComponent().path,
        ]
        let directory = candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/meshctl") } ?? candidates[0]
        return "\(directory)/meshctl"
    }

    @Test(
        "SIGTERM: the in-flight request completes (Connection: close), new connections are refused, exit code 0",
        .timeLimit(.minutes(1)))
    func sigterm() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.meshctl), "no meshctl next to the tests")
        let upstreams = try await Upstreams.start(["a"])
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { await upstreams.stop(); try? await clientGroup.shutdownGracefully() } }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.meshctl)
        process.arguments = ["proxy", "run", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:\(upstreams[0].port)"]
        let standardError = Pipe()
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        let output = NIOLockedValueBox("")
        standardError.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLockedValue { $0 += text }
        }
        try process.run()
        defer {
            TestTools.stop(process)
            standardError.fileHandleForReading.readabilityHandler = nil
        }

        // "meshctl proxy: listening (main=PORT), 1 thread(s)" once it accepts.
        let port = try #require(
            try await poll(timeout: .seconds(20)) { () -> Int? in
                let text = output.withLockedValue { $0 }
                guard let range = text.range(of: "main=") else { return nil }
                return Int(text[range.upperBound...].prefix { $0.isNumber })
            }, "the proxy did not report its port: \(output.withLockedValue { $0 })")

        // A slow request, in flight when the signal arrives (the upstream has it and answers 1.5 s later).
        async let slow = TestClient.get(port: port, "/slow/1500", group: clientGroup)
        let arrived = try await poll(timeout: .seconds(5)) { upstreams[0].requests >= 1 ? true : nil }
        try #require(arrived == true, "the slow request never reached the upstream")
        let signalled = ContinuousClock.now
        #expect(kill(process.processIdentifier, SIGTERM) == 0)

        // New connections are refused while the slow request drains.
        let refused = try await poll(timeout: .seconds(1)) { () async -> Bool? in
            do {
                let channel = try await ClientBootstrap(group: clientGroup).connect(host: "127.0.0.1", port: port).get()
                try? await channel.close().get()
                return nil
            } catch {
                return true
            }
        }
        #expect(refused == true, "the listener still accepted connections after SIGTERM")

        let response = try await slow
        #expect(response.status == 200)
        #expect(response.headers.first(name: "connection")?.lowercased() == "close")
        #expect(ContinuousClock.now - signalled < .seconds(5), "the drain waited for its full bound")

        let exited = try await poll(timeout: .seconds(10)) { process.isRunning ? nil : true }
        try #require(exited == true, "the proxy did not exit within 10 s of SIGTERM")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "\(output.withLockedValue { $0 })")
    }

    /// Calls `check` every 10 ms until it returns a value or `timeout` passes.
    private func poll<T>(timeout: Duration, _ check: () async throws -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await check() { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

import Foundation
import MeshTestSupport
import NIOConcurrencyHelpers

/// `meshctl proxy run -f FILE` as a child process (the binary `swift test` built next to the tests), with its
/// standard error collected.
final class ProxyProcess: Sendable {
    let process: Process
    private let standardError: Pipe
    private let collected: NIOLockedValueBox<String>
    /// The temporary directory of a bootstrap written by `init(name:upstream:spec:)`, removed on `stop()`.
    private let directory: URL?

    /// The `meshctl` executable next to the test bundle.
    static var meshctl: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().path,
            Bundle.main.bundleURL.deletingLastPathComponent().path,
        ]
        let directory = candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/meshctl") } ?? candidates[0]
        return "\(directory)/meshctl"
    }

    /// Starts the proxy on a bootstrap named `name`, written to a temporary directory: listener `main` on an
    /// ephemeral port in front of 127.0.0.1:`upstream`, with `spec` (one YAML line) added under `spec:`.
    convenience init(name: String, upstream: Int, spec: String? = nil) throws {
        let directory = try TestTools.temporaryDirectory()
        let file = directory.appendingPathComponent("proxy.yaml")
        let extra = spec.map { "  \($0)\n" } ?? ""
        try """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: \(name)}
            spec:
            \(extra)  listeners:
              - {name: main, address: "127.0.0.1:0", protocol: http, upstream: "127.0.0.1:\(upstream)"}
            """.write(to: file, atomically: true, encoding: .utf8)
        try self.init(file: file, directory: directory)
    }

    /// Starts the proxy on `file`.
    convenience init(file: URL) throws {
        try self.init(file: file, directory: nil)
    }

    private init(file: URL, directory: URL?) throws {
        self.directory = directory
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.meshctl)
        process.arguments = ["proxy", "run", "-f", file.path]
        standardError = Pipe()
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        let collected = NIOLockedValueBox("")
        self.collected = collected
        standardError.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            collected.withLockedValue { $0 += text }
        }
        try process.run()
    }

    /// What it wrote to standard error so far.
    var output: String { collected.withLockedValue { $0 } }

    /// The port of listener `main`, once it reports "listening (main=PORT)" (nil after 20 s).
    func mainPort() async throws -> Int? {
        try await poll(timeout: .seconds(20)) { () -> Int? in
            let text = output
            guard let range = text.range(of: "main=") else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber })
        }
    }

    func stop() {
        TestTools.stop(process)
        standardError.fileHandleForReading.readabilityHandler = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

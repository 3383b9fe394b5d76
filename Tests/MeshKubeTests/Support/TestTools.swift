import Foundation

/// Finds and runs the outside tools the integration tests need (python3, openssl).
enum TestTools {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The real interpreter: a version-manager shim (pyenv) may fork, and terminating the shim would leave the
    /// server running until its own lifetime ends.
    static let python3: String? = {
        guard let shim = find("python3") else { return nil }
        let real = try? run(shim, ["-c", "import sys; print(sys.executable)"], timeout: 10)
        let path = real?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return FileManager.default.isExecutableFile(atPath: path) ? path : shim
    }()
    static let openssl = find("openssl")
    /// Whether the HTTPS integration tests can run here.
    static let available = python3 != nil && openssl != nil

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a tool to completion (bounded by `timeout`), failing on a non-zero exit.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil, timeout: TimeInterval = 30) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) timed out")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// Ends a child for good. SIGKILL, because children inherit the test runner's signal mask, in which
    /// SIGTERM may be blocked.
    static func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meshkube-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

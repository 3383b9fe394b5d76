import Foundation

/// Runs a program to completion and captures its output; for tests that drive real peers and the real binary.
public struct Subprocess {
    public struct Result {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// Whether the process ended by a signal (a crash) rather than by exiting.
        public var crashed: Bool
    }

    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil,
        directory: URL? = nil, timeout: TimeInterval? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let timeout {
            // Bounded in time: a hung peer is killed, and the result shows it crashed.
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try? standardInput.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty process can't block on a full pipe.
        let errorData = LockedData()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) {
            errorData.set(error.fileHandleForReading.readDataToEndOfFile())
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.get(), as: UTF8.self),
            crashed: process.terminationReason == .uncaughtSignal)
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data ?? Data() } }
}

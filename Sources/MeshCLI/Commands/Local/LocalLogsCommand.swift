import Foundation
import Glibc
import MeshCore

/// `meshctl local logs [-f] [--tail N]`: the control plane's log file.
enum LocalLogsCommand {
    static let follow = OptionSpec(long: "follow", short: "f", kind: .flag,
                                   help: "Keep printing new lines as they are written, until the control plane stops")
    static let tail = OptionSpec(long: "tail", valueName: "LINES", help: "Print only the last LINES lines first (-1: all)",
                                 defaultValue: "-1", valueType: .integer)

    static let spec: CommandSpec = CommandSpec(
        name: "logs",
        abstract: "Print the local control plane's log",
        examples: [.init("Follow the log", "meshctl local logs -f"), .init("The last 20 lines", "meshctl local logs --tail 20")],
        options: [LocalCommand.dataDir, follow, tail],
        run: { invocation, context in
            let directory = LocalCommand.directory(invocation, context)
            guard let handle = FileHandle(forReadingAtPath: directory.logFile) else {
                throw LocalModeError("no log file at \(directory.logFile); has the control plane been started?")
            }
            defer { try? handle.close() }
            // Follow only a server that runs now, and stop once that process has gone (it wrote its last line).
            let pid = invocation.options.bool(follow) ? LocalServer(directory: directory).runningPID : nil
            var split = LogLines()
            context.standardOutput.write(LogLines.last(split.complete(handle.readDataToEndOfFile()), invocation.options.int(tail) ?? -1))
            if let pid {
                while kill(pid, 0) == 0 {
                    usleep(200_000)
                    context.standardOutput.write(split.complete(handle.readDataToEndOfFile()))
                }
                context.standardOutput.write(split.complete(handle.readDataToEndOfFile()))
            }
            context.standardOutput.write(split.pending)
            return .ok
        }
    )
}

/// Splits a growing log into whole lines: a line is printed once its newline has been written.
struct LogLines {
    private var buffer = Data()

    /// The whole lines completed by `data`; a trailing partial line waits for the rest.
    mutating func complete(_ data: Data) -> String {
        buffer += data
        guard let end = buffer.lastIndex(of: UInt8(ascii: "\n")) else { return "" }
        defer { buffer = Data(buffer[buffer.index(after: end)...]) }
        return String(decoding: buffer[...end], as: UTF8.self)
    }

    /// What is left of a last line without its newline.
    var pending: String { String(decoding: buffer, as: UTF8.self) }

    /// The last `count` lines of `text` (all of it when `count` is negative).
    static func last(_ text: String, _ count: Int) -> String {
        guard count >= 0 else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return lines.suffix(count).map { $0 + "\n" }.joined()
    }
}

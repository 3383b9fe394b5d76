import Foundation
import Glibc
import MeshCore

/// `meshctl local logs [-f]`: the control plane's log file.
enum LocalLogsCommand {
    static let follow = OptionSpec(long: "follow", short: "f", kind: .flag, help: "Keep printing new lines as they are written")

    static let spec: CommandSpec = CommandSpec(
        name: "logs",
        abstract: "Print the local control plane's log",
        examples: [.init("Follow the log", "meshctl local logs -f")],
        options: [LocalCommand.dataDir, follow],
        run: { invocation, context in
            let directory = LocalCommand.directory(invocation, context)
            guard let handle = FileHandle(forReadingAtPath: directory.logFile) else {
                throw LocalModeError("no log file at \(directory.logFile); has the control plane been started?")
            }
            defer { try? handle.close() }
            var pending = Data()
            func drain() {
                let data = handle.readDataToEndOfFile()
                guard !data.isEmpty else { return }
                pending += data
                if let end = pending.lastIndex(of: UInt8(ascii: "\n")) {
                    context.standardOutput.write(String(decoding: pending[...end], as: UTF8.self))
                    pending = Data(pending[pending.index(after: end)...])
                }
            }
            drain()
            guard invocation.options.bool(follow) else {
                if !pending.isEmpty { context.standardOutput.write(String(decoding: pending, as: UTF8.self)) }
                return .ok
            }
            while true {
                usleep(200_000)
                drain()
            }
        }
    )
}

import Foundation

/// Cuts a watch stream into lines: network chunks do not line up with events, so bytes wait here until their
/// newline arrives.
struct WatchLineSplitter {
    private var pending = Data()

    /// The complete lines in `pending` + `data`, without their newlines; empty lines are skipped.
    mutating func push(_ data: Data) -> [Data] {
        pending.append(data)
        var lines: [Data] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[start..<newline]
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { lines.append(Data(line)) }
            start = pending.index(after: newline)
        }
        pending = Data(pending[start...])
        return lines
    }

    /// Drops a partial line (the connection broke in the middle of an event).
    mutating func reset() { pending = Data() }
}

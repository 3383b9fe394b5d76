#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Appends access log lines to a file from a thread of its own: request handlers only copy a line into a buffer
/// under a lock, so a slow disk or a full pipe never stalls an event loop. The thread sleeps while nothing is
/// queued; a queued line is written within 100 ms (with whatever joined it meanwhile), at once past 64 KiB, and
/// on `close`. Past 8 MiB unwritten (the file can't keep up), lines are dropped and counted.
final class AccessLogWriter: @unchecked Sendable {
    static let flushBytes = 64 * 1024
    static let maxBufferedBytes = 8 * 1024 * 1024
    static let batchWindow: TimeInterval = 0.1

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Guards `pending` and `closed`; signalled when the thread has something to do.
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var closed = false
    /// Signalled once the thread has written everything and stopped.
    private let finished = NSCondition()
    private var stopped = false

    /// Opens `config`'s file for appending (standard error without a path). A file that can't be opened is a
    /// config error naming the field that set it.
    static func open(_ config: AccessLogConfig) throws(ProxyError) -> AccessLogWriter {
        guard let path = config.path else { return AccessLogWriter(descriptor: 2, owns: false) }
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ProxyError(.invalidConfig, "\(config.source): cannot open \(path) for appending: \(String(cString: strerror(errno)))")
        }
        return AccessLogWriter(descriptor: descriptor, owns: true)
    }

    init(descriptor: Int32, owns: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = owns
        Thread.detachNewThread { [self] in run() }
    }

    /// Queues `line` and a newline; never blocks on I/O. False when the line was dropped (the buffer is full or
    /// the writer closed).
    @discardableResult
    func append(_ line: String) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, pending.count + line.utf8.count < Self.maxBufferedBytes else { return false }
        let wasEmpty = pending.isEmpty
        pending.append(contentsOf: line.utf8)
        pending.append(UInt8(ascii: "\n"))
        if wasEmpty || pending.count >= Self.flushBytes { condition.signal() }
        return true
    }

    /// Writes what is queued and stops (shutdown, or a reload that moved the log elsewhere); waits up to 2 s.
    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
        finished.lock()
        let deadline = Date(timeIntervalSinceNow: 2)
        while !stopped && finished.wait(until: deadline) {}
        finished.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            // Something is queued: lines arriving within the batch window leave in the same write.
            let deadline = Date(timeIntervalSinceNow: Self.batchWindow)
            while pending.count < Self.flushBytes && !closed && condition.wait(until: deadline) {}
            let chunk = pending
            pending.removeAll(keepingCapacity: true)
            let done = closed
            condition.unlock()
            write(chunk)
            if done {
                if ownsDescriptor { _ = Glibc.close(descriptor) }
                finished.lock()
                stopped = true
                finished.signal()
                finished.unlock()
                return
            }
        }
    }

    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

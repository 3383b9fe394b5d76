#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOConcurrencyHelpers

/// Appends access log lines to a file from a thread of its own: request handlers only copy a line into a buffer
/// under a lock, so a slow disk or a full pipe never stalls an event loop. The buffer is written every 100 ms, at
/// once past 64 KiB, and on `close`; past 8 MiB unwritten (the file can't keep up), lines are dropped.
final class AccessLogWriter: @unchecked Sendable {
    static let flushBytes = 64 * 1024
    static let maxBufferedBytes = 8 * 1024 * 1024

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Guards `pending` and `closed`; its value is 1 when the thread should write at once.
    private let wake = ConditionLock(value: 0)
    private var pending: [UInt8] = []
    private var closed = false
    /// 1 once the thread has written everything and stopped.
    private let finished = ConditionLock(value: 0)

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

    private init(descriptor: Int32, owns: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = owns
        Thread.detachNewThread { [self] in run() }
    }

    /// Queues `line` and a newline; never blocks on I/O.
    func append(_ line: String) {
        wake.lock()
        guard !closed, pending.count + line.utf8.count < Self.maxBufferedBytes else {
            wake.unlock()
            return
        }
        pending.append(contentsOf: line.utf8)
        pending.append(UInt8(ascii: "\n"))
        wake.unlock(withValue: pending.count >= Self.flushBytes ? 1 : 0)
    }

    /// Writes what is queued and stops (shutdown, or a reload that moved the log elsewhere); waits up to 2 s.
    func close() {
        wake.lock()
        closed = true
        wake.unlock(withValue: 1)
        if finished.lock(whenValue: 1, timeoutSeconds: 2) { finished.unlock() }
    }

    private func run() {
        while true {
            if !wake.lock(whenValue: 1, timeoutSeconds: 0.1) { wake.lock() }
            let chunk = pending
            pending.removeAll(keepingCapacity: true)
            let done = closed
            wake.unlock(withValue: 0)
            write(chunk)
            if done {
                if ownsDescriptor { _ = Glibc.close(descriptor) }
                finished.lock()
                finished.unlock(withValue: 1)
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

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import MeshProxy

/// `AccessLogWriter` on a pipe the test reads: lines leave without waiting for a full buffer, and past the buffer
/// limit lines are refused (and counted by the caller) while every accepted line still arrives.
@Suite("AccessLogWriter")
struct AccessLogWriterTests {
    /// Reads `descriptor` on a thread of its own until end of file; `wait` returns the bytes read.
    final class Drain: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var bytes: [UInt8] = []

        init(_ descriptor: Int32) {
            Thread.detachNewThread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = read(descriptor, &buffer, buffer.count)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    bytes += buffer[..<count]
                }
                close(descriptor)
                done.signal()
            }
        }

        func wait() -> [UInt8] {
            done.wait()
            return bytes
        }
    }

    static func pipeDescriptors() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        return (descriptors[0], descriptors[1])
    }

    @Test("one short line is written within the batch window, not held until 64 KiB gather")
    func shortLineLeavesSoon() throws {
        let (readEnd, writeEnd) = try Self.pipeDescriptors()
        defer { close(readEnd) }
        let writer = AccessLogWriter(descriptor: writeEnd, owns: true)
        #expect(writer.append("{\"response_code\":200}"))
        var poll = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        #expect(Glibc.poll(&poll, 1, 2_000) == 1, "nothing was written within 2 s")
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(readEnd, &buffer, buffer.count)
        #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "{\"response_code\":200}\n")
        writer.close()
    }

    @Test("past 8 MiB unwritten lines are refused; every accepted line reaches the file, in order")
    func dropsPastTheLimit() throws {
        let (readEnd, writeEnd) = try Self.pipeDescriptors()
        let writer = AccessLogWriter(descriptor: writeEnd, owns: true)
        // Nobody reads yet: the thread blocks on the full pipe with the chunk it took (at most the 8 MiB limit),
        // then the buffer fills again: 20 MiB of lines can't all fit.
        let line = String(repeating: "x", count: 1023)
        var accepted = 0
        var refused = 0
        for _ in 0..<(20 * 1024) {
            if writer.append(line) { accepted += 1 } else { refused += 1 }
        }
        #expect(refused > 0)
        #expect(accepted >= AccessLogWriter.maxBufferedBytes / 1024 - 1)
        let drain = Drain(readEnd)
        writer.close()
        let written = drain.wait()
        #expect(written.count == accepted * 1024)
        #expect(written.allSatisfy { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "\n") })
    }
}

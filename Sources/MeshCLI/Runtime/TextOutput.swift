import MeshCore

import Glibc
import Synchronization

/// Where a command writes text: standard output, standard error, or a buffer in tests.
public protocol TextOutput: AnyObject, Sendable {
    func write(_ text: String)
}

/// Standard output or standard error of the process, written straight to the file descriptor.
public final class FileDescriptorOutput: TextOutput {
    public static let standardOutput = FileDescriptorOutput(descriptor: 1)
    public static let standardError = FileDescriptorOutput(descriptor: 2)

    private let descriptor: Int32

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Whether the descriptor is a terminal (colour and tables depend on it).
    public var isTerminal: Bool { isatty(descriptor) == 1 }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// Collects what a command writes, for tests and for commands that must write all or nothing.
public final class BufferOutput: TextOutput {
    private let storage = Mutex("")

    public init() {}

    public func write(_ text: String) {
        storage.withLock { $0 += text }
    }

    /// Everything written so far.
    public var text: String {
        storage.withLock { $0 }
    }
}

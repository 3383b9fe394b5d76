import CCurl
import Foundation
import Synchronization

/// A flag another thread sets to stop a running transfer (a watch) at its next progress tick.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Makes an unset flag.
    public init() {}

    /// Asks the transfer to stop.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// What one transfer collects while libcurl runs it; reached from the C callbacks through an opaque pointer.
final class CurlTransfer {
    var status = 0
    var headers: [(name: String, value: String)] = []
    var body = Data()
    /// When set, 2xx body bytes go here instead of `body`; returning `false` stops the transfer.
    var sink: ((Data) -> Bool)?
    var stoppedBySink = false
    var cancellation: CancellationFlag?

    init(sink: ((Data) -> Bool)? = nil, cancellation: CancellationFlag? = nil) {
        self.sink = sink
        self.cancellation = cancellation
    }

    func headerLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new response begins (after 100 Continue or a proxy's CONNECT answer): forget the previous one.
            headers = []
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
    }

    func received(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let sink, (200..<300).contains(status) {
            if !sink(Data(bytes)) {
                stoppedBySink = true
                return false
            }
        } else {
            body.append(contentsOf: bytes)
        }
        return true
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> CurlTransfer? {
        guard let context else { return nil }
        return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    }

    static let writeCallback: ccurl_data_callback = { data, size, count, context in
        let length = size * count
        guard let transfer = CurlTransfer.from(context), let data else { return 0 }
        let ok = transfer.received(UnsafeRawBufferPointer(start: data, count: length))
        return ok ? length : 0
    }

    static let headerCallback: ccurl_data_callback = { data, size, count, context in
        let length = size * count
        guard let transfer = CurlTransfer.from(context), let data else { return 0 }
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        transfer.headerLine(String(decoding: bytes, as: UTF8.self))
        return length
    }

    static let progressCallback: ccurl_progress_callback = { context, _, _, _, _ in
        guard let transfer = CurlTransfer.from(context) else { return 0 }
        return transfer.cancellation?.isCancelled == true ? 1 : 0
    }
}

import Foundation
import Synchronization

/// A running watch: events arrive on `events` while a thread of its own holds the streaming connection, so
/// waiting for changes never blocks the Swift concurrency pool.
///
/// The watch resumes from the last resource version after a dropped connection or a server-side timeout,
/// lists again after `410 Gone` (a `.relisted` event), and ends with an error when the server refuses it or
/// reconnecting keeps failing. `stop()` (or dropping the stream) ends it.
public final class KubeWatch: Sendable {
    /// The events, in order; finishes after `stop()`, or throws the `KubeError` that ended the watch.
    public let events: AsyncThrowingStream<WatchEvent, any Error>
    private let cancellation: CancellationFlag
    private let continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    private let counters: Mutex<(connections: Int, relists: Int)>

    init(start: @escaping @Sendable (KubeWatch) -> Void) {
        (events, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        let cancellation = CancellationFlag()
        self.cancellation = cancellation
        counters = Mutex((0, 0))
        continuation.onTermination = { _ in cancellation.cancel() }
        let thread = Thread { start(self) }
        thread.name = "meshctl-watch"
        thread.start()
    }

    /// Stops the watch; the stream finishes within about a second.
    public func stop() {
        cancellation.cancel()
        continuation.finish()
    }

    /// Connections made so far (1 + reconnects).
    public var connections: Int { counters.withLock { $0.connections } }
    /// Times the watch listed again after `410 Gone`.
    public var relists: Int { counters.withLock { $0.relists } }

    var isStopped: Bool { cancellation.isCancelled }
    var flag: CancellationFlag { cancellation }

    func yield(_ event: WatchEvent) { continuation.yield(event) }
    func finish(throwing error: KubeError? = nil) { continuation.finish(throwing: error) }
    func countConnection() { counters.withLock { $0.connections += 1 } }
    func countRelist() { counters.withLock { $0.relists += 1 } }
}

import Synchronization

/// A bytes-per-second limit: a bucket of one second's worth of bytes, refilled continuously. Bytes already
/// read are always taken (the bucket may go into debt); the answer is how long the reader must then pause so
/// the average stays at the rate. Shared buckets (a listener's) are locked; a connection's own is not contended.
final class ByteBucket: Sendable {
    let bytesPerSecond: Int
    private let state: Mutex<(tokens: Double, last: Int64)>

    init(bytesPerSecond: Int, now: Int64) {
        self.bytesPerSecond = bytesPerSecond
        self.state = Mutex((Double(bytesPerSecond), now))
    }

    /// Takes `count` bytes at `now` (monotonic nanoseconds); returns the pause in nanoseconds (0: none).
    func take(_ count: Int, now: Int64) -> Int64 {
        state.withLock { state in
            let rate = Double(bytesPerSecond)
            let elapsed = Double(max(0, now - state.last)) / 1e9
            state.tokens = min(rate, state.tokens + elapsed * rate) - Double(count)
            state.last = now
            return state.tokens >= 0 ? 0 : Int64((-state.tokens / rate) * 1e9)
        }
    }
}

/// TCP bandwidth limits of a listener: bytes per second per connection and for the whole listener, each
/// direction on its own.
public struct BandwidthLimit: Sendable, Equatable {
    /// Each connection's limit per direction, bytes per second.
    public var perConnection: Int?
    /// All of the listener's connections together, per direction, bytes per second.
    public var perListener: Int?

    public init(perConnection: Int? = nil, perListener: Int? = nil) {
        self.perConnection = perConnection
        self.perListener = perListener
    }
}

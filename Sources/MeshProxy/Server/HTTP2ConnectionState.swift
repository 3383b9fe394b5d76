import NIOCore

/// The decisions of a downstream HTTP/2 connection's life, without I/O: how many streams are open, since when it
/// has been idle, and whether it is going away — then it closes when its last stream ends.
struct HTTP2ConnectionState {
    enum Action: Equatable {
        case none
        /// Send GOAWAY; close now when no stream is open, else once the last one ends.
        case goAway(closeNow: Bool)
        case close
    }

    private(set) var openStreams = 0
    private(set) var goingAway = false
    private var idleSince: NIODeadline

    init(now: NIODeadline) { idleSince = now }

    mutating func streamOpened() { openStreams += 1 }

    /// A stream ended: the connection closes if it is going away and this was its last stream.
    mutating func streamClosed(at now: NIODeadline) -> Action {
        openStreams -= 1
        guard openStreams == 0 else { return .none }
        idleSince = now
        return goingAway ? .close : .none
    }

    /// The connection is to go away (idle, draining, its listener changed); `.none` when it already is.
    mutating func goAway() -> Action {
        guard !goingAway else { return .none }
        goingAway = true
        return .goAway(closeNow: openStreams == 0)
    }

    /// Whether it has had no open stream for `timeout` (and isn't already going away).
    func isIdle(at now: NIODeadline, for timeout: Duration) -> Bool {
        !goingAway && openStreams == 0 && now - idleSince >= timeout.timeAmount
    }
}

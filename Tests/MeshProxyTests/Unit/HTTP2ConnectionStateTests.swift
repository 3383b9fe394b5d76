import NIOCore
import Testing
@testable import MeshProxy

/// When a downstream HTTP/2 connection goes away and closes, without sockets.
@Suite("HTTP/2 connection drain decisions")
struct HTTP2ConnectionStateTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test("going away with streams open closes when the last one ends, not before")
    func closesAfterLastStream() {
        var state = HTTP2ConnectionState(now: Self.start)
        state.streamOpened()
        state.streamOpened()
        #expect(state.goAway() == .goAway(closeNow: false))
        #expect(state.streamClosed(at: Self.start) == .none)
        #expect(state.streamClosed(at: Self.start) == .close)
    }

    @Test("going away without open streams closes at once; asking again does nothing")
    func idleClosesAtOnce() {
        var state = HTTP2ConnectionState(now: Self.start)
        state.streamOpened()
        #expect(state.streamClosed(at: Self.start) == .none, "a stream ending doesn't close a connection that stays")
        #expect(state.goAway() == .goAway(closeNow: true))
        #expect(state.goAway() == .none)
    }

    @Test("idle means no open stream for the whole timeout, counted from the last stream's end")
    func idleTimeout() {
        var state = HTTP2ConnectionState(now: Self.start)
        #expect(!state.isIdle(at: Self.start + .milliseconds(499), for: .milliseconds(500)))
        #expect(state.isIdle(at: Self.start + .milliseconds(500), for: .milliseconds(500)))
        state.streamOpened()
        #expect(!state.isIdle(at: Self.start + .seconds(5), for: .milliseconds(500)))
        _ = state.streamClosed(at: Self.start + .seconds(5))
        #expect(!state.isIdle(at: Self.start + .milliseconds(5400), for: .milliseconds(500)))
        #expect(state.isIdle(at: Self.start + .milliseconds(5500), for: .milliseconds(500)))
        _ = state.goAway()
        #expect(!state.isIdle(at: Self.start + .seconds(60), for: .milliseconds(500)), "already going away")
    }
}

import NIOCore
import NIOHTTP2

/// One downstream HTTP/2 connection's life: it goes away after `idleTimeout` without open streams (Envoy's
/// `idle_timeout`), and when a drain asks it to (shutdown, or a reload that changed its listener). Going away
/// is GOAWAY (no error, so the client opens new streams elsewhere), then close as soon as the last open stream
/// ends — at once when none is open — and after the drain time at the latest, as Envoy drains connections.
/// Touched only on the connection's event loop.
final class HTTP2Downstream: @unchecked Sendable {
    private let channel: any Channel
    private var state: HTTP2ConnectionState
    private var idleCheck: RepeatedTask?
    private var drainBound: Scheduled<Void>?

    init(channel: any Channel, idleTimeout: Duration, drain: Duration) {
        self.channel = channel
        self.state = HTTP2ConnectionState(now: .now())
        let interval = min(idleTimeout, .seconds(1))
        idleCheck = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval.timeAmount, delay: interval.timeAmount) {
            [self] task in
            guard channel.isActive else {
                task.cancel()
                return
            }
            if state.isIdle(at: .now(), for: idleTimeout) { goAway(closingWithin: drain) }
        }
        channel.closeFuture.whenComplete { [self] _ in
            idleCheck?.cancel()
            drainBound?.cancel()
        }
    }

    func streamOpened() { state.streamOpened() }

    func streamClosed() {
        if state.streamClosed(at: .now()) == .close { close() }
    }

    /// GOAWAY now; the connection closes once its open streams have ended, or after `drain`.
    func goAway(closingWithin drain: Duration) {
        guard case .goAway(let closeNow) = state.goAway() else { return }
        idleCheck?.cancel()
        channel.writeAndFlush(Self.goAwayFrame, promise: nil)
        if closeNow {
            close()
        } else {
            drainBound = channel.eventLoop.scheduleTask(in: drain.timeAmount) { [self] in close() }
        }
    }

    /// Closes once everything written so far is out: a last GOAWAY (the same, which HTTP/2 allows) and close
    /// when its write completes, so the last stream's response isn't cut off.
    private func close() {
        guard channel.isActive else { return }
        let channel = self.channel
        channel.writeAndFlush(Self.goAwayFrame).whenComplete { _ in channel.close(promise: nil) }
    }

    private static let goAwayFrame = HTTP2Frame(
        streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
}

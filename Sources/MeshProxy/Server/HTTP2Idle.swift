import NIOCore
import NIOHTTP2

/// Ends an HTTP/2 connection politely: GOAWAY (no error, so the client opens new streams elsewhere), then close
/// after `drain`, when in-flight streams have had their chance.
enum HTTP2GoAway {
    static func send(_ channel: any Channel, closingAfter drain: Duration) {
        let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
        channel.writeAndFlush(frame, promise: nil)
        channel.eventLoop.scheduleTask(in: drain.timeAmount) { channel.close(promise: nil) }
    }
}

/// The idle timeout of a downstream HTTP/2 connection: once it has had no open stream for `idleTimeout`, it goes
/// away (as Envoy's `idle_timeout` closes a connection without active streams). Touched only on the connection's
/// event loop.
final class HTTP2IdleTimer: @unchecked Sendable {
    private let channel: any Channel
    private let idleTimeout: Duration
    private let drain: Duration
    private var openStreams = 0
    private var idleSince = NIODeadline.now()
    private var task: RepeatedTask?

    init(channel: any Channel, idleTimeout: Duration, drain: Duration) {
        self.channel = channel
        self.idleTimeout = idleTimeout
        self.drain = drain
        let interval = min(idleTimeout, .seconds(1))
        task = channel.eventLoop.scheduleRepeatedTask(initialDelay: interval.timeAmount, delay: interval.timeAmount) { [self] task in
            guard channel.isActive else {
                task.cancel()
                return
            }
            if openStreams == 0, NIODeadline.now() - idleSince >= idleTimeout.timeAmount {
                task.cancel()
                HTTP2GoAway.send(channel, closingAfter: drain)
            }
        }
        channel.closeFuture.whenComplete { [self] _ in task?.cancel() }
    }

    func streamOpened() { openStreams += 1 }

    func streamClosed() {
        openStreams -= 1
        if openStreams == 0 { idleSince = .now() }
    }
}

import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing
@testable import MeshProxy

/// `HTTP2ServerConnection` on an `EmbeddedChannel`, fed the frames `NIOHTTP2Handler` would pass on.
@Suite("HTTP2ServerConnection")
struct HTTP2ServerConnectionTests {
    final class Fixture {
        let loop = EmbeddedEventLoop()
        let channel: EmbeddedChannel
        let runtime: ProxyRuntime
        var opened = 0

        init(body: String = "hi", holding: Bool = false) throws {
            runtime = holding ? try ProxyRuntime.holding(on: loop) : try ProxyRuntime.answering(body, on: loop)
            channel = EmbeddedChannel(loop: loop)
            let runtime = self.runtime
            let loopState = runtime.loopState(for: loop)
            try channel.pipeline.syncOperations.addHandler(
                HTTP2ServerConnection(channel: channel, windowSize: 1 << 20, lifecycle: nil) {
                    HTTPProxyHandler(runtime: runtime, listener: runtime.listeners[0], loop: loopState, isHTTP2: true)
                })
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        func send(_ id: Int, _ payload: HTTP2Frame.FramePayload) throws {
            try channel.writeInbound(HTTP2Frame(streamID: HTTP2StreamID(id), payload: payload))
            channel.pipeline.fireChannelReadComplete()
            loop.run()
        }

        func request(_ id: Int, method: String = "GET", path: String = "/", endStream: Bool = true) throws {
            let block = HPACKHeaders([(":method", method), (":scheme", "http"), (":authority", "a"), (":path", path)])
            try send(id, .headers(.init(headers: block, endStream: endStream)))
        }

        /// The frames written so far (after the loop ran the coalesced flush).
        func written() throws -> [HTTP2Frame] {
            loop.run()
            var frames: [HTTP2Frame] = []
            while let frame = try channel.readOutbound(as: HTTP2Frame.self) { frames.append(frame) }
            return frames
        }

        /// The frames written so far, described.
        func frames() -> [String] { ((try? written()) ?? []).map(HTTP2ServerConnectionTests.describe) }

        var activeRequests: Int { runtime.stats.downstreamRqActive.load(ordering: .relaxed) }
    }

    static func describe(_ frame: HTTP2Frame) -> String {
        let id = Int(frame.streamID)
        switch frame.payload {
        case .headers(let headers):
            let status = headers.headers.first(name: ":status") ?? "-"
            return "\(id) HEADERS \(status)\(headers.endStream ? " END" : "")"
        case .data(let data):
            guard case .byteBuffer(let buffer) = data.data else { return "\(id) DATA ?" }
            return "\(id) DATA \(String(buffer: buffer))\(data.endStream ? " END" : "")"
        case .windowUpdate(let increment): return "\(id) WINDOW_UPDATE \(increment)"
        case .rstStream(let code): return "\(id) RST_STREAM \(code)"
        default: return "\(id) other"
        }
    }

    @Test("the connection window is raised at once; a response ends on its last DATA frame, not an empty one")
    func responseEndsOnLastFrame() throws {
        let fixture = try Fixture()
        #expect(fixture.frames() == ["0 WINDOW_UPDATE \((1 << 20) - 65_535)"])
        try fixture.request(1)
        #expect(fixture.frames() == ["1 HEADERS 200", "1 DATA hi END"])
        #expect(fixture.activeRequests == 0)
    }

    @Test("a bodiless answer is one HEADERS frame that ends the stream")
    func bodilessAnswer() throws {
        let fixture = try Fixture(body: "")
        _ = try fixture.written()
        try fixture.request(3)
        #expect(fixture.frames() == ["3 HEADERS 200 END"])
    }

    @Test("streams are answered independently: a local answer goes out before its request body has ended")
    func interleavedStreams() throws {
        let fixture = try Fixture()
        _ = try fixture.written()
        try fixture.request(1, method: "POST", endStream: false)
        try fixture.request(3)
        try fixture.send(1, .data(.init(data: .byteBuffer(ByteBuffer(string: "x")), endStream: true)))
        #expect(fixture.frames() == ["1 HEADERS 200", "1 DATA hi END", "3 HEADERS 200", "3 DATA hi END"])
    }

    @Test("a header block without :path is refused with RST_STREAM PROTOCOL_ERROR; the connection goes on")
    func malformedRequest() throws {
        let fixture = try Fixture()
        _ = try fixture.written()
        try fixture.send(1, .headers(.init(headers: HPACKHeaders([(":method", "GET"), (":scheme", "http")]), endStream: true)))
        #expect(fixture.frames() == ["1 RST_STREAM \(HTTP2ErrorCode.protocolError)"])
        try fixture.request(3)
        #expect(fixture.frames() == ["3 HEADERS 200", "3 DATA hi END"])
    }

    @Test("a stream the client resets before its request ends is dropped: nothing is answered and nothing stays active")
    func resetByClient() throws {
        let fixture = try Fixture(holding: true)
        _ = try fixture.written()
        try fixture.request(1, method: "POST", endStream: false)
        #expect(fixture.activeRequests == 1)
        fixture.channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: 1, reason: .cancel))
        #expect(fixture.activeRequests == 0)
        try fixture.send(1, .data(.init(data: .byteBuffer(ByteBuffer(string: "late")), endStream: true)))
        #expect(try fixture.written().isEmpty)
    }

    @Test("request body gives the stream's window back once half of it was taken, unless the request can't go on yet")
    func streamWindowReplenished() throws {
        let half = ByteBuffer(repeating: UInt8(ascii: "b"), count: (1 << 20) / 2)
        let taken = try Fixture()
        _ = try taken.written()
        try taken.request(1, method: "POST", endStream: false)
        _ = try taken.written()
        try taken.send(1, .data(.init(data: .byteBuffer(half))))
        #expect(taken.frames() == ["0 WINDOW_UPDATE \((1 << 20) / 2)", "1 WINDOW_UPDATE \((1 << 20) / 2)"])

        // Held by a fault delay, the body has nowhere to go: only the connection's window is given back.
        let held = try Fixture(holding: true)
        _ = try held.written()
        try held.request(1, method: "POST", endStream: false)
        try held.send(1, .data(.init(data: .byteBuffer(half))))
        #expect(held.frames() == ["0 WINDOW_UPDATE \((1 << 20) / 2)"])
    }

    @Test("when the connection closes, every open stream's request is dropped")
    func connectionClosed() throws {
        let fixture = try Fixture(holding: true)
        try fixture.request(1, method: "POST", endStream: false)
        try fixture.request(3, method: "POST", endStream: false)
        #expect(fixture.activeRequests == 2)
        _ = try fixture.channel.finish(acceptAlreadyClosed: true)
        #expect(fixture.activeRequests == 0)
    }
}

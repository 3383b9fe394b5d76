import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Just enough of RFC 6455 framing for the tests: single-frame messages up to 65535 bytes, masked or not.
enum WSFrame {
    static let text: UInt8 = 0x1
    static let close: UInt8 = 0x8

    static func encode(_ opcode: UInt8, _ payload: String, masked: Bool) -> [UInt8] {
        let bytes = Array(payload.utf8)
        precondition(bytes.count <= 0xFFFF)
        var frame: [UInt8] = [0x80 | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if bytes.count < 126 {
            frame.append(maskBit | UInt8(bytes.count))
        } else {
            frame += [maskBit | 126, UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)]
        }
        guard masked else { return frame + bytes }
        let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        frame += key
        for (index, byte) in bytes.enumerated() { frame.append(byte ^ key[index % 4]) }
        return frame
    }

    /// Removes and returns the first whole frame of `bytes` (unmasked), or nil if it is not all there yet.
    static func decode(_ bytes: inout ArraySlice<UInt8>) -> (opcode: UInt8, payload: String)? {
        guard bytes.count >= 2 else { return nil }
        let start = bytes.startIndex
        let opcode = bytes[start] & 0x0F
        let masked = bytes[start + 1] & 0x80 != 0
        var length = Int(bytes[start + 1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
            offset = 4
        } else if length == 127 {
            return nil  // not used by the tests
        }
        let keyLength = masked ? 4 : 0
        guard bytes.count >= offset + keyLength + length else { return nil }
        let key = Array(bytes[(start + offset)..<(start + offset + keyLength)])
        var payload = Array(bytes[(start + offset + keyLength)..<(start + offset + keyLength + length)])
        if masked { for index in payload.indices { payload[index] ^= key[index % 4] } }
        bytes = bytes.dropFirst(offset + keyLength + length)
        return (opcode, String(decoding: payload, as: UTF8.self))
    }
}

/// A websocket upstream that speaks STOMP-ish text: its 101 and a `CONNECTED` frame leave in one write; every
/// text frame is echoed and followed by a `MESSAGE` frame; `DISCONNECT` makes it close (close frame, then
/// TCP); a close frame is answered with one, then TCP closes. `open` counts its live connections.
final class WebSocketUpstream: Sendable {
    let channel: any Channel
    private let openCount: NIOLockedValueBox<Int>

    var port: Int { channel.localAddress!.port! }
    var open: Int { openCount.withLockedValue { $0 } }

    private init(channel: any Channel, openCount: NIOLockedValueBox<Int>) {
        self.channel = channel
        self.openCount = openCount
    }

    static func start(group: any EventLoopGroup) async throws -> WebSocketUpstream {
        let openCount = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(openCount: openCount))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return WebSocketUpstream(channel: channel, openCount: openCount)
    }

    func close() async { try? await channel.close().get() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let openCount: NIOLockedValueBox<Int>
        var pending: [UInt8] = []
        var upgraded = false

        init(openCount: NIOLockedValueBox<Int>) { self.openCount = openCount }

        func channelActive(context: ChannelHandlerContext) {
            openCount.withLockedValue { $0 += 1 }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            openCount.withLockedValue { $0 -= 1 }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            if !upgraded {
                guard let end = Self.headEnd(pending) else { return }
                upgraded = true
                pending.removeFirst(end)
                let reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                var out = ByteBuffer(string: reply)
                out.writeBytes(WSFrame.encode(WSFrame.text, "CONNECTED\nversion:1.2\n\n\0", masked: false))
                context.write(wrapOutboundOut(out), promise: nil)
            }
            var rest = pending[...]
            var closing = false
            while !closing, let frame = WSFrame.decode(&rest) {
                var out = ByteBuffer()
                if frame.opcode == WSFrame.close || frame.payload.hasPrefix("DISCONNECT") {
                    out.writeBytes(WSFrame.encode(WSFrame.close, "", masked: false))
                    closing = true
                } else {
                    out.writeBytes(WSFrame.encode(WSFrame.text, frame.payload, masked: false))
                    out.writeBytes(WSFrame.encode(WSFrame.text, "MESSAGE\n\n\(frame.payload.utf8.count)\0", masked: false))
                }
                context.write(wrapOutboundOut(out), promise: nil)
            }
            pending = Array(rest)
            if closing {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer())).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            } else {
                context.flush()
            }
        }

        static func headEnd(_ bytes: [UInt8]) -> Int? {
            guard bytes.count >= 4 else { return nil }
            for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10
                && bytes[index + 2] == 13 && bytes[index + 3] == 10
            {
                return index + 4
            }
            return nil
        }
    }
}

/// A raw TCP client that collects every byte it receives, for step-by-step exchanges.
final class RawConnection: Sendable {
    let channel: any Channel
    private let received: NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>

    private init(channel: any Channel, received: NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>) {
        self.channel = channel
        self.received = received
    }

    static func connect(port: Int, group: any EventLoopGroup) async throws -> RawConnection {
        let received = NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>(([], false))
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    var closed: Bool { received.withLockedValue { $0.closed } }

    /// Waits (polling, at most `timeout`) until `condition` holds for what arrived so far; returns the result.
    func wait<T>(
        timeout: Duration = .seconds(20), _ condition: ([UInt8], Bool) -> T?
    ) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (bytes, closed) = received.withLockedValue { ($0.bytes, $0.closed) }
            if let result = condition(bytes, closed) { return result }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func close() async { try? await channel.close().get() }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>
        init(received: NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            received.withLockedValue { $0.bytes += bytes }
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.withLockedValue { $0.closed = true }
            context.fireChannelInactive()
        }
    }
}

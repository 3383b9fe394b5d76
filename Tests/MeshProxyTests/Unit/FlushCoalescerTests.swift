import NIOCore
import NIOEmbedded
import Testing
@testable import MeshProxy

@Suite("FlushCoalescer")
struct FlushCoalescerTests {
    /// Counts the flushes that reach the network side.
    final class FlushCounter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var flushes = 0

        func flush(context: ChannelHandlerContext) {
            flushes += 1
            context.flush()
        }
    }

    private func channel(gathersWrites: Bool = false) throws -> (EmbeddedChannel, FlushCounter) {
        let counter = FlushCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(FlushCoalescer(gathersWrites: gathersWrites))
        return (channel, counter)
    }

    @Test("the flushes of one loop batch become one, made when the loop has handled the batch")
    func oneFlushPerBatch() throws {
        let (channel, counter) = try channel()
        channel.write(ByteBuffer(string: "first"), promise: nil)
        channel.flush()
        channel.write(ByteBuffer(string: "second"), promise: nil)
        channel.flush()
        #expect(counter.flushes == 0)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "first"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "second"))

        channel.write(ByteBuffer(string: "next batch"), promise: nil)
        channel.flush()
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 2)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "next batch"))
    }

    @Test("a close sends what was written and flushed in the batch before it (a GOAWAY, the last responses)")
    func closeFlushesFirst() throws {
        let (channel, counter) = try channel()
        channel.write(ByteBuffer(string: "goaway"), promise: nil)
        channel.flush()
        try channel.close().wait()
        #expect(counter.flushes == 1)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "goaway"))

        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
    }

    @Test("above TLS, small writes leave as one buffer (one record); a large one follows what was gathered")
    func gathersSmallWrites() throws {
        let (channel, _) = try channel(gathersWrites: true)
        let frameHeader = channel.eventLoop.makePromise(of: Void.self)
        channel.write(ByteBuffer(string: "header"), promise: frameHeader)
        channel.write(ByteBuffer(string: "+payload"), promise: nil)
        let large = ByteBuffer(repeating: 0x61, count: FlushCoalescer.gatherLimit + 1)
        channel.write(large, promise: nil)
        channel.write(ByteBuffer(string: "end"), promise: nil)
        channel.flush()
        channel.embeddedEventLoop.run()

        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "header+payload"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == large)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "end"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        try frameHeader.futureResult.wait()
    }
}

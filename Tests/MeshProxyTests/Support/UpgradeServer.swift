import NIOCore
import NIOPosix

/// A raw upstream that answers an HTTP upgrade with 101 and then echoes what follows, closing after `echoBytes`.
enum UpgradeServer {
    static func start(group: any EventLoopGroup, echoBytes: Int) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(echoBytes: echoBytes))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let echoBytes: Int
        var head = ""
        var upgraded = false
        var echoed = 0
        init(echoBytes: Int) { self.echoBytes = echoBytes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            var text = buffer.readString(length: buffer.readableBytes) ?? ""
            if !upgraded {
                head += text
                guard let end = head.range(of: "\r\n\r\n") else { return }
                upgraded = true
                text = String(head[end.upperBound...])
                let reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                context.write(wrapOutboundOut(ByteBuffer(string: reply)), promise: nil)
            }
            echoed += text.utf8.count
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).assumeIsolated().whenComplete { [self] _ in
                if echoed >= echoBytes { context.close(promise: nil) }
            }
        }
    }
}

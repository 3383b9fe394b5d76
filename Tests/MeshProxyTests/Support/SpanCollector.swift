import MeshCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tracing collector for tests: records every POST (path and JSON body) and answers 202.
final class SpanCollector: Sendable {
    let channel: any Channel
    private let received: NIOLockedValueBox<[(path: String, body: Value)]>
    var port: Int { channel.localAddress!.port! }

    private init(channel: any Channel, received: NIOLockedValueBox<[(path: String, body: Value)]>) {
        self.channel = channel
        self.received = received
    }

    static func start(group: any EventLoopGroup) async throws -> SpanCollector {
        let received = NIOLockedValueBox<[(path: String, body: Value)]>([])
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Recorder(received: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SpanCollector(channel: channel, received: received)
    }

    /// The bodies POSTed to `path` so far.
    func posts(to path: String) -> [Value] { received.withLockedValue { $0.filter { $0.path == path }.map(\.body) } }

    func stop() async { try? await channel.close().get() }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let received: NIOLockedValueBox<[(path: String, body: Value)]>
        var path = ""
        var body: [UInt8] = []

        init(received: NIOLockedValueBox<[(path: String, body: Value)]>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                let value = (try? JSON.parse(bytes: body)) ?? .null
                received.withLockedValue { $0.append((path, value)) }
                let head = HTTPResponseHead(version: .http1_1, status: .accepted, headers: ["content-length": "0"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

import MeshTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An identity provider's JWKS endpoint for tests: HTTPS on 127.0.0.1 with a TestPKI certificate, answering
/// every GET with the status and body currently set (switch them to rotate keys, fail, or serve garbage).
final class JWKSServer: Sendable {
    let channel: any Channel
    private let answer: NIOLockedValueBox<(status: HTTPResponseStatus, body: String)>
    private let served = NIOLockedValueBox(0)
    var port: Int { channel.localAddress!.port! }
    /// Requests answered so far.
    var requests: Int { served.withLockedValue { $0 } }

    private init(channel: any Channel, answer: NIOLockedValueBox<(status: HTTPResponseStatus, body: String)>) {
        self.channel = channel
        self.answer = answer
    }

    /// Serves `body` with the certificate and key given (the TestPKI server certificate names 127.0.0.1).
    static func start(body: String, certificate: String, key: String, group: any EventLoopGroup) async throws -> JWKSServer {
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))))
        let answer = NIOLockedValueBox((status: HTTPResponseStatus.ok, body: body))
        let box = NIOLockedValueBox<JWKSServer?>(nil)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder(server: box.withLockedValue { $0 }!))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = JWKSServer(channel: channel, answer: answer)
        box.withLockedValue { $0 = server }
        return server
    }

    /// What the next requests get.
    func set(status: HTTPResponseStatus = .ok, body: String) {
        answer.withLockedValue { $0 = (status, body) }
    }

    var uri: String { "https://127.0.0.1:\(port)/.well-known/jwks.json" }

    func stop() async { try? await channel.close().get() }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: JWKSServer

        init(server: JWKSServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let (status, body) = server.answer.withLockedValue { $0 }
            server.served.withLockedValue { $0 += 1 }
            let head = HTTPResponseHead(
                version: .http1_1, status: status,
                headers: ["content-type": "application/json", "content-length": String(body.utf8.count)])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 connection over mutual TLS that stays open between requests, presenting a workload identity
/// and trusting its mesh root; it tells which certificate the server showed.
struct MTLSConnection: Sendable {
    let channel: any Channel

    static func open(port: Int, identity: IdentityFiles, group: any EventLoopGroup) async throws -> MTLSConnection {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(identity.ca))
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.certificate).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem))
        configuration.certificateVerification = .noHostnameVerification  // workload certificates name no host
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(StatusReader())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return MTLSConnection(channel: channel)
    }

    /// Sends `GET path` on this connection and returns the response status (within 10 s).
    func get(_ path: String) async throws -> Int {
        let channel = self.channel
        let status = channel.eventLoop.makePromise(of: Int.self)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: StatusReader.self).waiting.append(status)
        }.get()
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "host", value: "backend")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(10)) { status.fail(ChannelError.connectTimeout(.seconds(10))) }
        defer { timeout.cancel() }
        return try await status.futureResult.get()
    }

    /// The serial (hex) of the leaf certificate the server presented (once the handshake is done).
    func serverSerial() async throws -> String? {
        let channel = self.channel
        return try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate?.serialHex
        }.get()
    }

    func close() async {
        try? await channel.close().get()
    }

    /// Completes the waiting requests' promises with their response statuses, in order.
    private final class StatusReader: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        var waiting: [EventLoopPromise<Int>] = []
        private var status = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = Int(head.status.code)
            case .body: break
            case .end: if !waiting.isEmpty { waiting.removeFirst().succeed(status) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            for promise in waiting { promise.fail(ChannelError.ioOnClosedChannel) }
            waiting = []
            context.fireChannelInactive()
        }
    }
}

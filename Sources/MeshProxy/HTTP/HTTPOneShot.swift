import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A one-shot HTTP/1.1 request (connection closed after the answer) for the proxy's own calls: span export
/// POSTs, JWKS GETs and ext-authz checks. Plain or over TLS, bounded in time and in the size of the body it keeps.
enum HTTPOneShot {
    struct Request: Sendable {
        var method: HTTPMethod = .GET
        var target: HostPort
        var path: String
        /// Sent as given; `host` is added (the target) unless one is among them.
        var headers: [(String, String)] = []
        var body: [UInt8]?
        /// TLS toward the target (`nil`: plaintext) and the server name sent and verified.
        var tls: NIOSSLContext?
        var serverName: String?
        var timeout: TimeAmount = .seconds(5)
        /// A response body over this many bytes fails the request.
        var maxResponseBytes = 1 << 20
    }

    struct Response: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
    }

    struct ResponseTooLarge: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "the response body is over \(limit) bytes" }
    }

    static func send(_ request: Request, on eventLoop: any EventLoop) -> EventLoopFuture<Response> {
        let response = eventLoop.makePromise(of: Response.self)
        let timeout = eventLoop.scheduleTask(in: request.timeout) { response.fail(ChannelError.connectTimeout(request.timeout)) }
        response.futureResult.whenComplete { _ in timeout.cancel() }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(min(request.timeout, .seconds(2)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = request.tls {
                        let sni = request.serverName.flatMap { UpstreamConnector.isIPAddress($0) ? nil : $0 }
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: sni))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        ResponseReader(promise: response, limit: request.maxResponseBytes))
                }
            }
            .connect(host: request.target.host, port: request.target.port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    response.fail(error)
                case .success(let channel):
                    var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path)
                    for (name, value) in request.headers { head.headers.add(name: name, value: value) }
                    if !head.headers.contains(name: "host") { head.headers.add(name: "host", value: "\(request.target)") }
                    if let body = request.body { head.headers.add(name: "content-length", value: String(body.count)) }
                    head.headers.add(name: "connection", value: "close")
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    if let body = request.body {
                        channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
                    }
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    response.futureResult.whenComplete { _ in channel.close(promise: nil) }
                }
            }
        return response.futureResult
    }

    private final class ResponseReader: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Response>
        let limit: Int
        var status = 0
        var headers: [(String, String)] = []
        var body: [UInt8] = []

        init(promise: EventLoopPromise<Response>, limit: Int) {
            self.promise = promise
            self.limit = limit
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                status = Int(head.status.code)
                headers = head.headers.map { ($0.name, $0.value) }
            case .body(let buffer):
                guard body.count + buffer.readableBytes <= limit else {
                    promise.fail(ResponseTooLarge(limit: limit))
                    context.close(promise: nil)
                    return
                }
                body += buffer.readableBytesView
            case .end:
                promise.succeed(Response(status: status, headers: headers, body: body))
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.eof)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}

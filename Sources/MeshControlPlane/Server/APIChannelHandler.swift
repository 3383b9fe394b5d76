import MeshCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The HTTP/1.1 side of the API server: collects a request (refusing bodies over the limit with 413), runs it
/// on the thread pool (writes fsync), and writes back the body or drives a watch stream.
final class APIChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: APIServer
    private let threadPool: NIOThreadPool
    private let authenticate: @Sendable (_ commonName: String?, _ authorization: String?) -> String?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var watchID: Int?
    private var watch: WatchStream?
    private var timers: [Scheduled<Void>] = []
    private var repeating: RepeatedTask?
    private var commonName: String??

    init(api: APIServer, threadPool: NIOThreadPool,
         authenticate: @escaping @Sendable (_ commonName: String?, _ authorization: String?) -> String?) {
        self.api = api
        self.threadPool = threadPool
        self.authenticate = authenticate
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            tooLarge = false
            if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init), length > APIServer.maxBodyBytes {
                tooLarge = true
            }
        case .body(var buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > APIServer.maxBodyBytes {
                tooLarge = true
                body = []
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let requestHead = head else { return }
            head = nil
            if tooLarge {
                let error = APIError(code: 413, reason: "RequestEntityTooLarge",
                                     message: "the request body is larger than the limit of \(APIServer.maxBodyBytes) bytes")
                respond(context: context, head: requestHead, response: .error(error), close: true)
                return
            }
            dispatch(context: context, head: requestHead)
        }
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead) {
        if commonName == nil { commonName = .some(Self.peerCommonName(context)) }
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let user = authenticate(commonName ?? nil, headers["authorization"])
        let request = APIRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: body, user: user)
        body = []
        let api = self.api
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        threadPool.runIfActive(eventLoop: context.eventLoop) { api.handle(request) }.whenComplete { result in
            let (handler, context) = loopBound.value
            switch result {
            case .success(.watch(let stream)): handler.startWatch(context: context, head: head, stream: stream)
            case .success(let response): handler.respond(context: context, head: head, response: response, close: false)
            case .failure: handler.respond(context: context, head: head, response: .error(.internalError("shutting down")), close: true)
            }
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, response: APIResponse, close: Bool) {
        guard case .body(let status, let contentType, let bytes) = response else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(bytes.count))
        headers.add(name: "Cache-Control", value: "no-cache, private")
        let keepAlive = head.isKeepAlive && !close
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, stream: WatchStream) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        let eventLoop = context.eventLoop
        let loopBound = NIOLoopBound((self, context), eventLoop: eventLoop)
        watch = stream
        watchID = stream.start { line in
            eventLoop.execute {
                let (handler, context) = loopBound.value
                guard handler.watch != nil else { return }
                context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: line)))), promise: nil)
            }
        }
        guard watchID != nil else {
            // After the ERROR event, which is queued on the event loop before this.
            eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.finishWatch(context: context)
            }
            return
        }
        if stream.bookmarks {
            let interval = TimeAmount.milliseconds(Int64(api.bookmarkInterval * 1000))
            repeating = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                let (handler, context) = loopBound.value
                guard let watch = handler.watch else { return }
                context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: watch.bookmark())))), promise: nil)
            }
        }
        let timeout = TimeAmount.seconds(Int64(stream.timeoutSeconds ?? 1800))
        timers.append(eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.finishWatch(context: context)
        })
    }

    private func finishWatch(context: ChannelHandlerContext) {
        stopWatch()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func stopWatch() {
        if let watch, let watchID { watch.stop(watchID) }
        watch = nil
        watchID = nil
        repeating?.cancel()
        repeating = nil
        timers.forEach { $0.cancel() }
        timers = []
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopWatch()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        stopWatch()
        context.close(promise: nil)
    }

    private static func peerCommonName(_ context: ChannelHandlerContext) -> String? {
        guard let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let certificate = tls.peerCertificate else { return nil }
        return LocalCA.commonName(of: certificate)
    }
}

import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// An Envoy HTTP ext-authz service for tests, on 127.0.0.1, answering by the checked request's `x-ext-authz`
/// header (like Istio's sample ext-authz server): `allow` → 200 with `x-ext-authz-check-result: allowed`,
/// `x-user: alice`, `x-internal: secret`, `x-welcome: hello`; `slow` → the same after 2 s; `fail` → 500; anything
/// else → 403 (or the status in `x-ext-authz-status`) with body `denied by ext-authz for PATH` and headers
/// `x-ext-authz-check-result: denied`, `x-deny-detail: hidden`, `www-authenticate: Basic`. Records every check.
enum ExtAuthzServer {
    /// One check as the server saw it.
    struct Check: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    }

    static func start(group: any EventLoopGroup) async throws -> AuthzTestServer<Check> {
        try await AuthzTestServer.start(group: group, http2: false) { Responder(seen: $0) }
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let seen: NIOLockedValueBox<[Check]>
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(seen: NIOLockedValueBox<[Check]>) { self.seen = seen }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                guard let head else { return }
                let check = Check(
                    method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name.lowercased(), $0.value) },
                    body: String(decoding: body, as: UTF8.self))
                seen.withLockedValue { $0.append(check) }
                respond(check, version: head.version, context: context)
            }
        }

        private func respond(_ check: Check, version: HTTPVersion, context: ChannelHandlerContext) {
            var headers = HTTPHeaders()
            var status = HTTPResponseStatus.ok
            var body = ""
            var delay: Int64 = 0
            switch check.header("x-ext-authz") {
            case "allow", "slow":
                headers.add(name: "x-ext-authz-check-result", value: "allowed")
                headers.add(name: "x-user", value: "alice")
                headers.add(name: "x-internal", value: "secret")
                headers.add(name: "x-welcome", value: "hello")
                headers.add(name: "x-envoy-auth-headers-to-remove", value: "authorization, host")
                if check.header("x-ext-authz") == "slow" { delay = 2000 }
            case "fail":
                status = .internalServerError
            default:
                status = HTTPResponseStatus(statusCode: check.header("x-ext-authz-status").flatMap(Int.init) ?? 403)
                body = "denied by ext-authz for \(check.uri)"
                headers.add(name: "x-ext-authz-check-result", value: "denied")
                headers.add(name: "x-deny-detail", value: "hidden")
                headers.add(name: "www-authenticate", value: "Basic")
            }
            headers.add(name: "content-length", value: String(body.utf8.count))
            respond(
                HTTPResponseHead(version: version, status: status, headers: headers), body: context.channel.allocator.buffer(string: body),
                delay: delay, context: context)
        }
    }
}

import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
@testable import MeshProxy

/// An Envoy gRPC ext-authz service (`envoy.service.auth.v3.Authorization/Check`) for tests, h2c on 127.0.0.1,
/// answering by the checked request's `x-ext-authz` header: `allow` → OK with `x-user: alice` for the upstream and
/// `x-welcome: hello` for the client; anything else → PERMISSION_DENIED with a 401 denied response (header
/// `x-ext-authz-check-result: denied`, body `denied by grpc ext-authz`). A check without an HTTP request (a TCP
/// connection) is allowed when the server was started with `allowConnections`. Records what each check carried.
enum GRPCExtAuthzServer {
    /// One check: the gRPC path, and the `attributes.request.http` headers, path and body of the CheckRequest.
    struct Check: Sendable {
        var grpcPath: String
        var headers: [String: String]
        var path: String
        var body: String
        /// `HttpRequest.id`: the request's x-request-id.
        var id = ""
    }

    static func start(group: any EventLoopGroup, allowConnections: Bool = false) async throws -> AuthzTestServer<Check> {
        try await AuthzTestServer.start(group: group, http2: true) { Responder(seen: $0, allowConnections: allowConnections) }
    }

    /// The `attributes.request.http` fields of a CheckRequest.
    static func check(path grpcPath: String, request: [UInt8]) throws -> Check {
        func field(_ number: Int, of message: ArraySlice<UInt8>) throws -> ArraySlice<UInt8> {
            try ProtobufReader.fields(message).first { $0.field == number }?.value.bytes ?? []
        }
        let http = try field(2, of: field(4, of: field(1, of: request[...])))
        var check = Check(grpcPath: grpcPath, headers: [:], path: "", body: "")
        for (number, value) in try ProtobufReader.fields(http) {
            switch number {
            case 3:
                let entry = try ProtobufReader.fields(value.bytes)
                check.headers[entry.first { $0.field == 1 }?.value.string ?? ""] = entry.first { $0.field == 2 }?.value.string ?? ""
            case 1: check.id = value.string
            case 4: check.path = value.string
            case 11: check.body = value.string
            default: break
            }
        }
        return check
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let seen: NIOLockedValueBox<[Check]>
        let allowConnections: Bool
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(seen: NIOLockedValueBox<[Check]>, allowConnections: Bool) {
            self.seen = seen
            self.allowConnections = allowConnections
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body(let buffer): body += buffer.readableBytesView
            case .end:
                guard let head, body.count >= 5, let check = try? GRPCExtAuthzServer.check(path: head.uri, request: Array(body[5...])) else {
                    return
                }
                seen.withLockedValue { $0.append(check) }
                var reply = ProtobufWriter(omittingDefaults: true)
                if check.headers["x-ext-authz"] == "allow" || (check.headers.isEmpty && allowConnections) {
                    reply.message(1) { _ in }
                    reply.message(3) { ok in
                        ok.message(2) { $0.message(1) { $0.string(1, "x-user"); $0.string(2, "alice") } }
                        ok.string(5, "x-ext-authz")
                        ok.message(6) { $0.message(1) { $0.string(1, "x-welcome"); $0.string(2, "hello") } }
                    }
                } else {
                    reply.message(1) { $0.varint(1, 7) }
                    reply.message(2) { denied in
                        denied.message(1) { $0.varint(1, 401) }
                        denied.message(2) { $0.message(1) { $0.string(1, "x-ext-authz-check-result"); $0.string(2, "denied") } }
                        denied.string(3, "denied by grpc ext-authz")
                    }
                }
                var frame = context.channel.allocator.buffer(capacity: reply.bytes.count + 5)
                frame.writeInteger(UInt8(0))
                frame.writeInteger(UInt32(reply.bytes.count))
                frame.writeBytes(reply.bytes)
                respond(
                    HTTPResponseHead(version: head.version, status: .ok, headers: ["content-type": "application/grpc"]), body: frame,
                    trailers: ["grpc-status": "0"], context: context)
            }
        }
    }
}

import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// The upstream accepted an upgrade (101): pass the 101 on, then splice raw bytes both ways.
    func switchToTunnel(_ head: HTTPResponseHead, context: ChannelHandlerContext) {
        errorResponse(.badGateway, body: "upgrade not supported yet")
    }
}

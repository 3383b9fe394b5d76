import NIOHPACK
import NIOHTTP1
import Testing
@testable import MeshProxy

@Suite("HTTP2Messages")
struct HTTP2MessagesTests {
    @Test(":authority becomes Host unless one is sent; pseudo-headers stay out; cookie crumbs are joined")
    func requestHead() throws {
        let block = HPACKHeaders([
            (":method", "GET"), (":scheme", "http"), (":authority", "reviews:9080"), (":path", "/a?b=1"),
            ("cookie", "a=1"), ("accept", "*/*"), ("cookie", "b=2"),
        ])
        let head = try #require(HTTP2Messages.requestHead(block, endStream: true))
        #expect(head.method == .GET)
        #expect(head.uri == "/a?b=1")
        #expect(head.version == .http2)
        #expect(head.headers.map { "\($0.name): \($0.value)" } == ["host: reviews:9080", "accept: */*", "cookie: a=1; b=2"])

        let withHost = try #require(HTTP2Messages.requestHead(
            HPACKHeaders([(":method", "GET"), (":scheme", "http"), (":authority", "a"), (":path", "/"), ("host", "b")]), endStream: true))
        #expect(withHost.headers["host"] == ["b"])
    }

    @Test("a body without content-length is chunked for HTTP/1.1, or empty when the headers end the stream")
    func bodyFraming() throws {
        func head(_ method: String, endStream: Bool, extra: [(String, String)] = []) throws -> HTTPRequestHead {
            try #require(HTTP2Messages.requestHead(
                HPACKHeaders([(":method", method), (":scheme", "http"), (":authority", "a"), (":path", "/")] + extra), endStream: endStream))
        }
        #expect(try head("POST", endStream: false).headers["transfer-encoding"] == ["chunked"])
        #expect(try head("POST", endStream: true).headers["content-length"] == ["0"])
        #expect(try head("PUT", endStream: false, extra: [("content-length", "5")]).headers["transfer-encoding"].isEmpty)
        #expect(try head("GET", endStream: false).headers["transfer-encoding"].isEmpty)
        #expect(try head("GET", endStream: true).headers["content-length"].isEmpty)
    }

    @Test("a block without :method or :path is no request")
    func missingPseudoHeaders() {
        #expect(HTTP2Messages.requestHead(HPACKHeaders([(":method", "GET"), (":scheme", "http")]), endStream: true) == nil)
        #expect(HTTP2Messages.requestHead(HPACKHeaders([(":path", "/"), (":scheme", "http")]), endStream: true) == nil)
    }

    @Test("a response block starts with :status, has lower-case names and no connection-specific fields but te: trailers")
    func responseBlock() {
        let head = HTTPResponseHead(
            version: .http2, status: .notFound,
            headers: [
                "Content-Type": "text/plain", "Connection": "close", "Keep-Alive": "timeout=5", "Transfer-Encoding": "chunked",
                "Upgrade": "h2c", "TE": "gzip", "X-Envoy-Upstream": "a",
            ])
        let block = HTTP2Messages.responseBlock(head)
        #expect(block.map { "\($0.name): \($0.value)" } == [":status: 404", "content-type: text/plain", "x-envoy-upstream: a"])
        let trailers = HTTP2Messages.trailerBlock(["grpc-status": "0", "te": "trailers"])
        #expect(trailers.map { "\($0.name): \($0.value)" } == ["grpc-status: 0", "te: trailers"])
        #expect(HTTP2Messages.trailers(HPACKHeaders([("grpc-status", "0"), (":status", "200")])).map(\.name) == ["grpc-status"])
    }
}

@Suite("HTTP2InboundWindow")
struct HTTP2InboundWindowTests {
    @Test("consumed bytes are given back once half the window is owed, in one increment")
    func halfWindow() {
        var window = HTTP2InboundWindow(size: 1000)
        #expect(window.received(300, consume: true) == nil)
        #expect(window.received(199, consume: true) == nil)
        #expect(window.received(1, consume: true) == 500)
        #expect(window.owed == 0)
        #expect(window.received(499, consume: true) == nil)
    }

    @Test("bytes the receiver can't take are held until it can; then they count as consumed")
    func heldUntilReleased() {
        var window = HTTP2InboundWindow(size: 1000)
        #expect(window.received(600, consume: false) == nil)
        #expect(window.received(400, consume: false) == nil)
        #expect(window.held == 1000)
        #expect(window.release() == 1000)
        #expect(window.held == 0)
        #expect(window.release() == nil)
        #expect(window.received(100, consume: false) == nil)
        #expect(window.release() == nil)  // 100 owed: less than half
        #expect(window.owed == 100)
    }
}

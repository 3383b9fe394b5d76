import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import MeshProxy

@Suite("Handlers and state machines")
struct HandlerTests {
    @Test("the splice passes reads only while paired and the partner is writable; FIN becomes a half-close")
    func spliceState() {
        var state = SpliceState()
        #expect(state.readRequested(partnerWritable: true) == .none)
        #expect(state.pairedWithPartner() == .read)
        #expect(state.readRequested(partnerWritable: false) == .none)
        #expect(state.partnerBecameWritable() == .read)
        #expect(state.peerClosedInput() == .shutdownPartnerOutput)
        #expect(state.peerClosedInput() == .none)
        #expect(state.outputShut() == .close)
    }

    @Test("a FIN read before the splice is paired is passed on at pairing, after the early bytes")
    func spliceFinBeforePairing() {
        var state = SpliceState()
        #expect(state.readRequested(partnerWritable: false) == .none)
        #expect(state.peerClosedInput() == .none)
        #expect(state.pairedWithPartner() == .shutdownPartnerOutput)
        #expect(state.readRequested(partnerWritable: true) == .none)
        #expect(state.outputShut() == .close)
    }

    @Test("the sniffer tells the HTTP/2 preface from HTTP/1.1 with as few bytes as it can")
    func sniffing() {
        func classify(_ text: String) -> ProtocolSniffer.Verdict { ProtocolSniffer.classify(ByteBuffer(string: text).readableBytesView) }
        #expect(classify("GET / HTTP/1.1\r\n") == .http1)
        #expect(classify("PRI * HTTP/2") == .needMoreBytes)
        #expect(classify("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == .http2)
        #expect(classify("P") == .needMoreBytes)
        #expect(classify("POST /") == .http1)
    }

    @Test("the first-bytes router takes off the prefix its choice consumed, over split reads, and passes on the rest (EmbeddedChannel)")
    func firstBytesConsumed() throws {
        let channel = EmbeddedChannel()
        var chosen: [Int] = []
        let router = FirstBytesRouter<Int>(
            classify: { bytes in bytes.count >= 4 ? Int(bytes[bytes.startIndex]) : nil },
            consumed: { $0 },
            configure: { _, choice in chosen.append(choice) })
        try channel.pipeline.syncOperations.addHandler(router)
        try channel.writeInbound(ByteBuffer(bytes: [3, 9]))
        #expect(chosen.isEmpty)
        try channel.writeInbound(ByteBuffer(bytes: [9, 7, 8]))
        #expect(chosen == [3])
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [7, 8]))
        try channel.writeInbound(ByteBuffer(bytes: [1]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [1]), "the router stepped aside")

        let exact = EmbeddedChannel(handler: FirstBytesRouter<Int>(classify: { _ in 4 }, consumed: { $0 }, configure: { _, _ in }))
        try exact.writeInbound(ByteBuffer(bytes: [4, 0, 0, 0]))
        #expect(try exact.readInbound(as: ByteBuffer.self) == nil, "nothing left after the prefix: no empty read")
    }

    @Test("hop-by-hop stripping and request ids")
    func headerPolicy() {
        var headers = HTTPHeaders([("Connection", "close, X-Foo"), ("X-Foo", "1"), ("TE", "gzip"), ("Host", "h")])
        HeaderPolicy.stripHopByHop(&headers)
        #expect(headers.map(\.name) == ["Host"])
        // `TE: trailers` alone survives (gRPC needs it end to end), as Envoy sanitizes TE.
        var grpc = HTTPHeaders([("TE", "trailers"), ("Connection", "te"), ("Host", "h")])
        HeaderPolicy.stripHopByHop(&grpc)
        #expect(grpc.map { "\($0.name): \($0.value)" } == ["Host: h", "te: trailers"])
        let id = HeaderPolicy.uuid(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210)
        #expect(id == "01234567-89ab-4def-bedc-ba9876543210")
    }

    @Test("a direct-response route is answered by the handler without any upstream (EmbeddedChannel)")
    func directResponse() throws {
        let loop = EmbeddedEventLoop()
        let runtime = try ProxyRuntime.answering("hi", on: loop)
        let handler = HTTPProxyHandler(runtime: runtime, listener: runtime.listeners[0], loop: runtime.loopState(for: loop), isHTTP2: false)
        let channel = EmbeddedChannel(handler: handler, loop: loop)
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["host": "x"])))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no head")
            return
        }
        #expect(head.status == .ok)
        #expect(head.headers.first(name: "content-length") == "2")
        guard case .body(.byteBuffer(let body)) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no body")
            return
        }
        #expect(String(buffer: body) == "hi")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}

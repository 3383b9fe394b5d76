import Foundation
import MeshTestSupport
import NIOCore
import NIOHTTP1
import NIOHTTP2
import Testing
@testable import MeshProxy

/// HTTP/2 clients of the proxy (h2c prior knowledge): bodies past the flow-control windows, many streams on one
/// connection, a stream reset mid-response.
@Suite("HTTP/2 downstream end to end")
struct HTTP2DownstreamTests {
    static func gauge(_ proxy: ProxyHarness, _ name: String) async throws -> Int? {
        let line = try await proxy.admin("/stats").body.split(separator: "\n").first { $0.hasPrefix("\(name): ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test("an upload three times the stream window reaches the upstream whole; a 5 MB download arrives whole")
    func bodiesPastTheWindows() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("h2-upload-\(UUID().uuidString)")
        try Data(repeating: UInt8(ascii: "u"), count: 3_000_000).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let url = "http://127.0.0.1:\(proxy.port)"
        let upload = try Subprocess.curl(["-s", "--http2-prior-knowledge", "--data-binary", "@\(file.path)", "\(url)/echo"])
        #expect(upload.standardOutput.hasPrefix("POST /echo body=3000000"))
        let download = try Subprocess.curl([
            "-s", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version} %{http_code} %{size_download}", "\(url)/big/5000000",
        ])
        #expect(download.standardOutput == "2 200 5000000")
    }

    @Test("40 concurrent streams on one connection each get their own answer; nothing stays active")
    func concurrentStreams() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let responses = try await HTTP2TestClient.send(
            port: proxy.port, path: "/echo", headers: [("cookie", "a=1"), ("cookie", "b=2")], count: 40, group: proxy.clientGroup)
        #expect(responses.count == 40)
        #expect(responses.allSatisfy { $0.status == 200 && $0.body.hasPrefix("GET /echo") })
        // The cookie crumbs of HTTP/2 reach the HTTP/1.1 upstream as one field (RFC 9113 §8.2.3).
        #expect(responses[0].body.contains("cookie: a=1; b=2"))
        let settled = try await poll(timeout: .seconds(5)) {
            try await Self.gauge(proxy, "http.meshctl.downstream_rq_active") == 0 ? true : nil
        }
        #expect(settled == true)
    }

    @Test("a stream the client resets mid-download drops its upstream exchange; the connection's next stream is served")
    func clientResetMidResponse() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let (channel, multiplexer) = try await HTTP2TestClient.connect(port: proxy.port, group: proxy.clientGroup)
        defer { channel.close(promise: nil) }
        let firstBytes = channel.eventLoop.makePromise(of: Void.self)
        let stream = try await multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(ResetOnFirstBody(reached: firstBytes))
            }
        }.get()
        var head = HTTPRequestHead(version: .http2, method: .GET, uri: "/stream/200000000")
        head.headers.add(name: "host", value: "127.0.0.1:\(proxy.port)")
        stream.write(HTTPClientRequestPart.head(head), promise: nil)
        try await stream.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        try await firstBytes.futureResult.get()

        let dropped = try await poll(timeout: .seconds(5)) { () async throws -> Bool? in
            let active = try await Self.gauge(proxy, "http.meshctl.downstream_rq_active")
            let upstream = try await Self.gauge(proxy, "cluster.upstream.upstream_rq_active")
            return active == 0 && (upstream ?? 0) == 0 ? true : nil
        }
        #expect(dropped == true)
        let next = try await HTTP2TestClient.request(
            on: multiplexer, eventLoop: channel.eventLoop, port: proxy.port, path: "/echo"
        ).get()
        #expect(next.status == 200)
    }

    /// Closes its stream (RST_STREAM CANCEL) at the first response body bytes.
    private final class ResetOnFirstBody: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let reached: EventLoopPromise<Void>

        init(reached: EventLoopPromise<Void>) { self.reached = reached }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .body = unwrapInboundIn(data) else { return }
            context.close(promise: nil)
            reached.succeed()
        }
    }
}

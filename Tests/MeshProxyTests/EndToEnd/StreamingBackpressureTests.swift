import Foundation
import MeshTestSupport
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import Testing

/// A large download through `meshctl proxy run` to a client that reads slowly: the proxy reads from the upstream
/// only as fast as the client takes the bytes, so its memory stays bounded.
@Suite("Streaming backpressure end to end", .serialized)
struct StreamingBackpressureTests {
    static let size = 64 << 20

    @Test(
        "a 64 MB download to a slow reader grows the proxy's resident memory by far less than the body",
        arguments: [false, true])
    func slowReaderBoundsProxyMemory(http2: Bool) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProxyProcess.meshctl), "no meshctl next to the tests")
        let upstreams = try await Upstreams.start(["a"])
        defer { Task { await upstreams.stop() } }
        let proxy = try ProxyProcess(name: "backpressure-test", upstream: upstreams[0].port)
        defer { proxy.stop() }
        let port = try #require(try await proxy.mainPort(), "proxy did not start: \(proxy.output)")
        let pid = proxy.process.processIdentifier
        #expect(try await TestClient.get(port: port, "/stream/65536", group: upstreams.group).status == 200)
        let baseline = try #require(Self.residentBytes(pid))

        let sampler = Task {
            var peak = baseline
            while !Task.isCancelled {
                peak = max(peak, Self.residentBytes(pid) ?? 0)
                try? await Task.sleep(for: .milliseconds(20))
            }
            return peak
        }
        let received = try await http2
            ? SlowReader.downloadHTTP2(port: port, path: "/stream/\(Self.size)", group: upstreams.group)
            : SlowReader.download(port: port, path: "/stream/\(Self.size)", group: upstreams.group)
        sampler.cancel()
        #expect(received == Self.size)
        let growth = await sampler.value - baseline
        #expect(growth < 16 << 20, "the proxy grew by \(growth >> 20) MB while streaming \(Self.size >> 20) MB")
    }

    /// The resident set of process `pid` in bytes (`VmRSS` of /proc), `nil` once it is gone.
    static func residentBytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }
}

/// An HTTP/1.1 client that reads at most 64 KB every 2 ms (auto-read off), counting the body bytes.
private enum SlowReader {
    static func download(port: Int, path: String, group: any EventLoopGroup) async throws -> Int {
        let promise = group.next().makePromise(of: Int.self)
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.so_rcvbuf), value: 65536)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Counter(promise: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return try await paced(channel, reading: channel, version: .http1_1, port: port, path: path, count: promise)
    }

    /// The same over h2c: one stream whose reads (and so its WINDOW_UPDATEs) are paced the same way.
    static func downloadHTTP2(port: Int, path: String, group: any EventLoopGroup) async throws -> Int {
        let (channel, multiplexer) = try await HTTP2TestClient.connect(port: port, group: group)
        let promise = channel.eventLoop.makePromise(of: Int.self)
        let stream = try await multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.syncOptions!.setOption(.autoRead, value: false)
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http))
                try stream.pipeline.syncOperations.addHandler(Counter(promise: promise))
            }
        }.get()
        return try await paced(channel, reading: stream, version: .http2, port: port, path: path, count: promise)
    }

    /// Sends GET `path` on `requests`, then lets it read once every 2 ms until `count` has the body's size (30 s
    /// bound); closes `connection` after.
    private static func paced(
        _ connection: any Channel, reading requests: any Channel, version: HTTPVersion, port: Int, path: String,
        count: EventLoopPromise<Int>
    ) async throws -> Int {
        var head = HTTPRequestHead(version: version, method: .GET, uri: path)
        head.headers.add(name: "host", value: "127.0.0.1:\(port)")
        requests.write(HTTPClientRequestPart.head(head), promise: nil)
        try await requests.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        let pacing = connection.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(2), delay: .milliseconds(2)) { _ in
            requests.read()
        }
        let timeout = connection.eventLoop.scheduleTask(in: .seconds(30)) { count.fail(ChannelError.eof) }
        defer {
            pacing.cancel()
            timeout.cancel()
            connection.close(promise: nil)
        }
        return try await count.futureResult.get()
    }

    private final class Counter: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Int>
        var bytes = 0

        init(promise: EventLoopPromise<Int>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: break
            case .body(let buffer): bytes += buffer.readableBytes
            case .end: promise.succeed(bytes)
            }
        }

        func channelInactive(context: ChannelHandlerContext) { promise.fail(ChannelError.eof) }
    }
}

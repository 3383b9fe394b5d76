import Foundation
import MeshTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// The real `meshctl proxy run` process: SIGTERM (and SIGINT alike) drains in-flight requests, refuses new
/// connections, exits 0; a request that never finishes is cut at the drain timeout.
@Suite("Graceful shutdown of meshctl proxy run", .serialized)
struct ShutdownTests {
    /// Runs `body` with `meshctl proxy run` (the process and its port) in front of an upstream that holds the first
    /// request until released. The proxy runs from a bootstrap rather than the shorthand, for a drain bound no
    /// slow test machine reaches: in the full suite, blocking tests can hold this task up for seconds on two
    /// cores, so nothing here is timed tightly; the upstream answers only when the test says so.
    static func withProxy(
        drainTimeout: String = "60s",
        _ body: (_ proxy: ProxyProcess, _ port: Int, _ upstream: HeldUpstream, _ group: any EventLoopGroup) async throws -> Void
    ) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProxyProcess.meshctl), "no meshctl next to the tests")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HeldUpstream.start(group: group)
        defer { Task { await upstream.close(); try? await group.shutdownGracefully() } }
        let proxy = try ProxyProcess(name: "shutdown-test", upstream: upstream.port, spec: "limits: {drainTimeout: \(drainTimeout)}")
        defer { proxy.stop() }
        // "meshctl proxy: listening (main=PORT), 1 thread(s)" once it accepts.
        let port = try #require(try await proxy.mainPort(), "the proxy did not report its port: \(proxy.output)")
        try await body(proxy, port, upstream, group)
    }

    @Test(
        "SIGTERM: the in-flight request completes (Connection: close), new connections are refused, exit code 0",
        .timeLimit(.minutes(1)))
    func sigterm() async throws {
        try await Self.withProxy { proxy, port, upstream, group in
            let process = proxy.process
            // A request the upstream holds: in flight when the signal arrives.
            async let slow = TestClient.get(port: port, "/slow", group: group)
            let arrived = try await poll(timeout: .seconds(20)) { upstream.holding ? true : nil }
            try #require(arrived == true, "the request never reached the upstream")
            #expect(kill(process.processIdentifier, SIGTERM) == 0)

            // New connections are refused while the process drains.
            #expect(try await Self.refusesConnections(port: port, group: group), "the listener still accepted connections after SIGTERM")
            #expect(process.isRunning, "the proxy exited with a request in flight")

            upstream.release()
            let response = try await slow
            #expect(response.status == 200)
            #expect(response.body == "ok")
            #expect(response.headers.first(name: "connection")?.lowercased() == "close")

            let exited = try await poll(timeout: .seconds(20)) { process.isRunning ? nil : true }
            try #require(exited == true, "the proxy did not exit within 20 s of its last request")
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0, "\(proxy.output)")
        }
    }

    @Test(
        "SIGTERM with HTTP/2: an idle connection closes at once; the in-flight stream completes, then the process exits, long before the drain timeout",
        .timeLimit(.minutes(1)))
    func sigtermHTTP2() async throws {
        try await Self.withProxy { proxy, port, upstream, group in
            let process = proxy.process
            let (idle, _) = try await HTTP2TestClient.connect(port: port, group: group)
            defer { idle.close(promise: nil) }
            let (busy, streams) = try await HTTP2TestClient.connect(port: port, group: group)
            defer { busy.close(promise: nil) }
            let slow = try await HTTP2TestClient.request(on: streams, eventLoop: busy.eventLoop, port: port, path: "/slow")
            let arrived = try await poll(timeout: .seconds(20)) { upstream.holding ? true : nil }
            try #require(arrived == true, "the request never reached the upstream")
            #expect(kill(process.processIdentifier, SIGTERM) == 0)

            // The drain timeout is 60 s: the idle connection closes now, while the other's stream is still held.
            let idleClosed = try await poll(timeout: .seconds(20)) { idle.isActive ? nil : true }
            #expect(idleClosed == true, "the idle HTTP/2 connection stayed open while the proxy drained")
            #expect(process.isRunning, "the proxy exited with a stream in flight")
            #expect(busy.isActive, "the connection with a stream in flight closed early")

            upstream.release()
            let response = try await slow.get()
            #expect(response.status == 200)
            #expect(response.body == "ok")
            let exited = try await poll(timeout: .seconds(20)) { process.isRunning ? nil : true }
            try #require(exited == true, "the proxy did not exit within 20 s of its last stream")
            #expect(process.terminationStatus == 0, "\(proxy.output)")
        }
    }
}

extension ShutdownTests {
    /// Starts a request the upstream holds and waits until it is there (in flight when a signal arrives).
    static func heldRequest(port: Int, upstream: HeldUpstream, group: any EventLoopGroup) async throws -> Task<TestClient.Response, any Error> {
        let request = Task { try await TestClient.get(port: port, "/slow", group: group) }
        let arrived = try await poll(timeout: .seconds(20)) { upstream.holding ? true : nil }
        try #require(arrived == true, "the request never reached the upstream")
        return request
    }

    /// Whether connecting to `port` fails within 20 s (the listener closed).
    static func refusesConnections(port: Int, group: any EventLoopGroup) async throws -> Bool {
        try await poll(timeout: .seconds(20)) { () async -> Bool? in
            do {
                let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
                try? await channel.close().get()
                return nil
            } catch {
                return true
            }
        } == true
    }

    @Test("SIGINT shuts down as SIGTERM does: the in-flight request completes, then exit code 0", .timeLimit(.minutes(1)))
    func sigint() async throws {
        try await Self.withProxy { proxy, port, upstream, group in
            let process = proxy.process
            let request = try await Self.heldRequest(port: port, upstream: upstream, group: group)
            #expect(kill(process.processIdentifier, SIGINT) == 0)
            // Still draining while the request is held (the drain timeout is 60 s).
            #expect(try await Self.refusesConnections(port: port, group: group), "the listener still accepted connections after SIGINT")
            #expect(process.isRunning, "the proxy exited with a request in flight")
            upstream.release()
            #expect(try await request.value.status == 200)
            let exited = try await poll(timeout: .seconds(20)) { process.isRunning ? nil : true }
            try #require(exited == true, "the proxy did not exit after SIGINT")
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0, "\(proxy.output)")
        }
    }

    @Test("a request that never finishes is cut at limits.drainTimeout and the process still exits 0", .timeLimit(.minutes(1)))
    func drainBound() async throws {
        try await Self.withProxy(drainTimeout: "1s") { proxy, port, upstream, group in
            let process = proxy.process
            let request = try await Self.heldRequest(port: port, upstream: upstream, group: group)
            #expect(kill(process.processIdentifier, SIGTERM) == 0)
            // The upstream never answers: the drain gives up after 1 s and the process exits anyway.
            let exited = try await poll(timeout: .seconds(30)) { process.isRunning ? nil : true }
            try #require(exited == true, "the proxy did not exit after its drain timeout: \(proxy.output)")
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0, "\(proxy.output)")
            let answer = try? await request.value
            #expect(answer?.status != 200, "the held request got an answer the upstream never sent")
        }
    }
}

/// An HTTP/1.1 upstream that holds the first request it gets until `release()`, then answers 200 `ok`.
final class HeldUpstream: Sendable {
    let channel: any Channel
    private let held: NIOLockedValueBox<(any Channel)?>

    var port: Int { channel.localAddress!.port! }
    var holding: Bool { held.withLockedValue { $0 != nil } }

    private init(channel: any Channel, held: NIOLockedValueBox<(any Channel)?>) {
        self.channel = channel
        self.held = held
    }

    static func start(group: any EventLoopGroup) async throws -> HeldUpstream {
        let held = NIOLockedValueBox<(any Channel)?>(nil)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(held: held))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HeldUpstream(channel: channel, held: held)
    }

    func release() {
        guard let connection = held.withLockedValue({ $0 }) else { return }
        let response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        connection.writeAndFlush(ByteBuffer(string: response), promise: nil)
    }

    func close() async { try? await channel.close().get() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let held: NIOLockedValueBox<(any Channel)?>
        var head = ""
        init(held: NIOLockedValueBox<(any Channel)?>) { self.held = held }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            head += buffer.readString(length: buffer.readableBytes) ?? ""
            if head.contains("\r\n\r\n") {
                let channel = context.channel
                held.withLockedValue { if $0 == nil { $0 = channel } }
            }
        }
    }
}

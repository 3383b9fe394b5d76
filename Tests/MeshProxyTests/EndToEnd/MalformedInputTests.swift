import MeshProxy
import NIOCore
import Testing

/// Bad HTTP from clients: 400 and the connection closed; nothing reaches the upstream.
@Suite("Malformed input", .serialized)
struct MalformedInputTests {
    @Test(
        "malformed requests get 400, are closed and are never forwarded",
        arguments: [
            "GARBAGE\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n",
        ])
    func rejected(_ request: String) async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let (text, closed) = try await TestClient.raw(port: proxy.port, request, group: proxy.clientGroup)
        #expect(text.hasPrefix("HTTP/1.1 400"), "got \(text.debugDescription)")
        #expect(closed)
        #expect(upstreams[0].requests == 0)
        // The proxy still serves well-formed requests afterwards.
        #expect(try await proxy.get("/").status == 200)
    }

    /// (header bytes, header count, configured maxHeaderBytes or nil for the default 60 KiB)
    @Test(
        "oversized request heads get 431 as from Envoy, are closed and are never forwarded",
        arguments: [
            (8 * 1024, 1, 4096),  // over a configured limit
            (70 * 1024, 1, nil),  // over the default 60 KiB, under the parser's 80 KiB cap
            (90 * 1024, 1, nil),  // over the parser's cap
            (10, 150, nil),  // more than the default 100 headers
        ] as [(Int, Int, Int?)])
    func oversizedHead(bytes: Int, count: Int, limit: Int?) async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            if let limit { config.limits.maxHeaderBytes = limit }
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var request = "GET / HTTP/1.1\r\nHost: x\r\n"
        for index in 0..<count { request += "x-big-\(index): " + String(repeating: "a", count: bytes) + "\r\n" }
        let (text, closed) = try await TestClient.raw(port: proxy.port, request + "\r\n", group: proxy.clientGroup)
        #expect(text.hasPrefix("HTTP/1.1 431"), "got \(text.prefix(200).debugDescription)")
        #expect(closed)
        #expect(upstreams[0].requests == 0)
        // Under the limit, the same kind of request passes.
        let fine = try await proxy.get("/", headers: [("x-big", String(repeating: "a", count: 1000))])
        #expect(fine.status == 200)
    }

    @Test("admin endpoints report readiness, stats in Envoy and Prometheus form, and the config")
    func admin() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        _ = try await proxy.get("/")
        #expect(try await proxy.admin("/ready").body == "LIVE\n")
        let stats = try await proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.downstream_rq_2xx: 1"))
        let prometheus = try await proxy.admin("/stats/prometheus").body
        #expect(prometheus.contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"upstream\"} 1"))
        #expect(prometheus.contains("# TYPE envoy_http_downstream_rq_time histogram"))
        let dump = try await proxy.admin("/config_dump").body
        #expect(dump.contains("\"listeners\""))
        #expect(try await proxy.admin("/nope").status == 404)
    }
}

@Suite("Upgrades")
struct UpgradeTests {
    @Test("a websocket upgrade passes through: 101, then bytes both ways")
    func websocket() async throws {
        let upstreams = try await Upstreams.start(["unused"])
        let upgradeServer = try await UpgradeServer.start(group: upstreams.group, echoBytes: 4)
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.clusters["upstream"]!.endpoints = [EndpointConfig(address: HostPort(host: "127.0.0.1", port: upgradeServer.localAddress!.port!))]
        }
        defer { Task { await proxy.stop(); try? await upgradeServer.close().get(); await upstreams.stop() } }
        let request = "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nping"
        let client = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        defer { Task { await client.close() } }
        try await client.send(Array(request.utf8))
        // The upstream echoes the 4 bytes, then closes; generous bound, as the suite runs in parallel.
        let text = try await client.wait(timeout: .seconds(20)) { bytes, closed in
            closed ? String(decoding: bytes, as: UTF8.self) : nil
        } ?? ""
        let closed = client.closed
        #expect(text.hasPrefix("HTTP/1.1 101"), "\(text.debugDescription)")
        #expect(text.lowercased().contains("upgrade: websocket"))
        #expect(text.hasSuffix("ping"))
        #expect(closed)
    }

    enum Closer: String, CaseIterable, Sendable { case client, server }

    @Test(
        "STOMP over websocket: frames behind both heads, many messages each way, then a close from either side leaks nothing",
        arguments: Closer.allCases)
    func stompOverWebsocket(closer: Closer) async throws {
        let upstreams = try await Upstreams.start(["unused"])
        let websocket = try await WebSocketUpstream.start(group: upstreams.group)
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.clusters["upstream"]!.endpoints = [EndpointConfig(address: HostPort(host: "127.0.0.1", port: websocket.port))]
        }
        defer { Task { await proxy.stop(); await websocket.close(); await upstreams.stop() } }

        let client = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        defer { Task { await client.close() } }
        let upgrade = "GET /stomp HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n"
        // The STOMP CONNECT frame travels in the same write as the upgrade request.
        let connect = "CONNECT\naccept-version:1.2\nhost:x\n\n\0"
        try await client.send(Array(upgrade.utf8) + WSFrame.encode(WSFrame.text, connect, masked: true))

        /// The response head, and the frames after it once `count` of them (or a close) arrived.
        func frames(atLeast count: Int) async throws -> (head: String, frames: [(opcode: UInt8, payload: String)])? {
            try await client.wait { bytes, _ in
                guard let end = Self.headEnd(bytes) else { return nil }
                var rest = bytes[end...]
                var frames: [(opcode: UInt8, payload: String)] = []
                while let frame = WSFrame.decode(&rest) { frames.append(frame) }
                guard frames.count >= count else { return nil }
                return (String(decoding: bytes[..<end], as: UTF8.self), frames)
            }
        }

        // The upstream's CONNECTED left with its 101; then the echo of CONNECT and its MESSAGE.
        let first = try #require(try await frames(atLeast: 3))
        #expect(first.head.hasPrefix("HTTP/1.1 101"))
        #expect(first.head.lowercased().contains("upgrade: websocket"))
        #expect(first.frames.map(\.payload).prefix(3) == ["CONNECTED\nversion:1.2\n\n\0", connect, "MESSAGE\n\n\(connect.utf8.count)\0"])

        // Several messages one by one, then a burst in one write.
        var expected = first.frames.map(\.payload)
        for index in 1...5 {
            let body = "SEND\ndestination:/queue/a\n\nmessage \(index)\0"
            try await client.send(WSFrame.encode(WSFrame.text, body, masked: true))
            expected += [body, "MESSAGE\n\n\(body.utf8.count)\0"]
            let got = try #require(try await frames(atLeast: expected.count), "waiting for the reply to message \(index)")
            #expect(got.frames.map(\.payload) == expected)
        }
        var burst: [UInt8] = []
        for index in 1...20 {
            let body = "SEND\ndestination:/queue/b\n\n" + String(repeating: "x", count: index * 10) + "\0"
            burst += WSFrame.encode(WSFrame.text, body, masked: true)
            expected += [body, "MESSAGE\n\n\(body.utf8.count)\0"]
        }
        try await client.send(burst)
        let all = try #require(try await frames(atLeast: expected.count))
        #expect(all.frames.map(\.payload) == expected)

        switch closer {
        case .client:
            // The client says goodbye and drops its socket without waiting: the proxy must close the upstream.
            try await client.send(WSFrame.encode(WSFrame.close, "", masked: true))
            await client.close()
        case .server:
            try await client.send(WSFrame.encode(WSFrame.text, "DISCONNECT\nreceipt:1\n\n\0", masked: true))
            let closing = try await client.wait { bytes, closed in
                closed ? bytes : nil
            }
            var rest = try #require(closing)[...]
            var last: UInt8?
            if let end = Self.headEnd(Array(rest)) { rest = rest.dropFirst(end) }
            while let frame = WSFrame.decode(&rest) { last = frame.opcode }
            #expect(last == WSFrame.close)
        }

        // No connection stays behind, at the upstream or in the proxy's gauges.
        let deadline = ContinuousClock.now + .seconds(20)
        var stats = ""
        while ContinuousClock.now < deadline {
            stats = try await proxy.admin("/stats").body
            if websocket.open == 0, Self.gauge("downstream_cx_active", in: stats) == 0,
                Self.gauge("upstream_cx_active", in: stats) == 0
            {
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(websocket.open == 0)
        #expect(Self.gauge("downstream_cx_active", in: stats) == 0, "\(stats)")
        #expect(Self.gauge("upstream_cx_active", in: stats) == 0, "\(stats)")
        #expect(Self.gauge("downstream_rq_active", in: stats) == 0)
        #expect(Self.gauge("websocket_upgrades_total", in: stats) == 1)
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            return index + 4
        }
        return nil
    }

    /// The sum of the stat lines ending in `.name` (or named `name`) in the admin `/stats` text.
    static func gauge(_ name: String, in stats: String) -> Int? {
        var total: Int?
        for line in stats.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == name || parts[0].hasSuffix("." + name),
                let value = Int(parts[1].drop { $0 == " " })
            else { continue }
            total = (total ?? 0) + value
        }
        return total
    }
}

/// Limits that end a connection: request bodies (413), idle and header timeouts, and the lingering close that
/// lets the client read the last answer.
@Suite("Body limits, timeouts and lingering close", .serialized)
struct ConnectionLimitTests {
    @Test("a body over maxRequestBodyBytes gets 413 and is never forwarded, declared or chunked; smaller ones pass")
    func bodyLimit() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { $0.limits.maxRequestBodyBytes = 1000 }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let big = String(repeating: "x", count: 1001)
        let declared = try await TestClient.raw(
            port: proxy.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n\(big)", group: proxy.clientGroup)
        #expect(declared.text.hasPrefix("HTTP/1.1 413"), "\(declared.text.prefix(100).debugDescription)")
        #expect(declared.closed)
        let chunk = String(repeating: "y", count: 600)
        let chunked = try await TestClient.raw(
            port: proxy.port,
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n",
            group: proxy.clientGroup)
        #expect(chunked.text.hasPrefix("HTTP/1.1 413"), "\(chunked.text.prefix(100).debugDescription)")
        #expect(chunked.closed)
        let fine = try await proxy.get("/echo", method: .POST, body: String(repeating: "z", count: 1000))
        #expect(fine.status == 200)
        #expect(fine.body.contains("body=1000"))
        #expect(upstreams[0].requests == 1, "only the request within the limit may reach the upstream")
    }

    @Test("a chunked body past maxRequestBodyBytes, arriving after the retry buffer overflowed and the upstream connected, is cut")
    func bodyLimitPastRetryBuffer() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.limits.maxRequestBodyBytes = 1000
            config.limits.retryBufferBytes = 100
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let connection = try KeepAliveConnection(port: proxy.port)
        let chunk = "190\r\n\(String(repeating: "y", count: 400))\r\n"
        #expect(connection.send(Array(("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk).utf8)))
        // The first chunk overflows the retry buffer; the rest comes once the body streams to the upstream.
        _ = try await poll(timeout: .seconds(5)) { upstreams[0].connections > 0 ? true : nil }
        try await Task.sleep(for: .milliseconds(50))
        for _ in 0..<4 {
            _ = connection.send(Array(chunk.utf8))  // may fail once the proxy has reset the connection
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = connection.send(Array("0\r\n\r\n".utf8))
        let answer = connection.readToEnd()
        #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(100).debugDescription)")
        // The upstream counts a request at its end: the 2000 bytes never reached it whole.
        #expect(upstreams[0].requests == 0)
    }

    @Test("after a 431 the proxy stops sending but keeps reading: the client can still write, then sees the close")
    func lingeringClose() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { $0.limits.maxHeaderBytes = 4096 }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let connection = try KeepAliveConnection(port: proxy.port)
        let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nx-big: \(String(repeating: "a", count: 5000))\r\n\r\n"
        #expect(connection.send(Array(head.utf8)))
        let answer = connection.readToEnd()  // up to the proxy's FIN
        #expect(answer.hasPrefix("HTTP/1.1 431"), "\(answer.prefix(100).debugDescription)")
        // The body the proxy will never read: a closed socket would answer it with a reset, failing the second
        // write; a lingering one takes it in.
        let body = [UInt8](repeating: 0x62, count: 50_000)
        let first = connection.send(body)
        try await Task.sleep(for: .milliseconds(100))
        let second = connection.send(body)
        #expect(first && second, "the proxy reset the connection instead of lingering")
        #expect(upstreams[0].requests == 0)
    }

    @Test("a new connection must send a head within headerTimeout; a keep-alive one may idle up to idleTimeout")
    func idleAndHeaderTimeouts() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.limits.headerTimeout = .milliseconds(200)
            config.limits.idleTimeout = .seconds(4)
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let silent = try KeepAliveConnection(port: proxy.port)
        #expect(silent.closedByPeer(), "a connection that never sent a head stayed open")

        let keptAlive = try KeepAliveConnection(port: proxy.port)
        #expect(try keptAlive.get("/").status == 200)
        try await Task.sleep(for: .milliseconds(800))  // well past headerTimeout, well within idleTimeout
        #expect(try keptAlive.get("/").status == 200)
        #expect(keptAlive.closedByPeer(), "the idle keep-alive connection was not closed after idleTimeout")
    }

    @Test("an upstream that answers before reading the body doesn't get the next request as body: its connection closes")
    func earlyResponseDoesNotPoisonThePool() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let connection = try KeepAliveConnection(port: proxy.port)
        for round in 0..<3 {
            // The answer comes while most of the body is still to be sent.
            let head = "POST /early HTTP/1.1\r\nHost: test\r\nContent-Length: 20000\r\n\r\n"
            #expect(try connection.exchange(Array((head + String(repeating: "b", count: 1000)).utf8)).status == 200, "round \(round)")
            #expect(connection.send(Array(String(repeating: "b", count: 19000).utf8)))
            let next = try connection.get("/echo")
            #expect(next.status == 200, "round \(round)")
            #expect(next.body.hasPrefix("GET /echo"), "round \(round): \(next.body.prefix(80))")
        }
    }

    @Test("an HTTP/2 connection goes away after idleTimeout without open streams, not while a stream is open")
    func http2IdleTimeout() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers) { config in
            config.limits.idleTimeout = .milliseconds(500)
            config.limits.drainTimeout = .milliseconds(100)
        }
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let (channel, multiplexer) = try await HTTP2TestClient.connect(port: proxy.port, group: upstreams.group)
        defer { channel.close(promise: nil) }
        let slow = try await HTTP2TestClient.request(on: multiplexer, eventLoop: channel.eventLoop, port: proxy.port, path: "/slow/1500")
        #expect(try await slow.get().status == 200, "a stream open longer than idleTimeout must finish")
        let closed = try await poll(timeout: .seconds(10)) { channel.isActive ? nil : true }
        #expect(closed == true, "the idle HTTP/2 connection stayed open")
    }
}

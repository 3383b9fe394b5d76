import Foundation
import MeshProxy
import Testing

/// HTTP/1.1 forwarding through a real proxy to a real upstream, asserted from the outside.
@Suite("HTTP forwarding end to end", .serialized)
struct HTTPForwardingTests {
    @Test("a sidecar inbound listener sets x-forwarded-proto and x-request-id and leaves x-forwarded-for alone")
    func forwardingHeaders() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let response = try await proxy.get("/echo", headers: [("x-forwarded-proto", "https")])
        #expect(response.status == 200)
        #expect(response.headers.first(name: "x-upstream-id") == "a")
        #expect(!response.body.contains("x-forwarded-for"), "a sidecar (use_remote_address: false) added x-forwarded-for")
        #expect(response.body.split(separator: "\n").contains("x-forwarded-proto: http"), "the client's x-forwarded-proto was trusted")
        let id = response.body.split(separator: "\n").first { $0.hasPrefix("x-request-id: ") }
        #expect(id.map { $0.dropFirst(14).count } == 36)
        let kept = try await proxy.get("/echo", headers: [("x-request-id", "abc"), ("x-forwarded-for", "10.0.0.1")])
        #expect(kept.body.contains("x-request-id: abc"))
        #expect(kept.body.contains("x-forwarded-for: 10.0.0.1\n"))
    }

    @Test("an upstream's response carries one x-envoy-upstream-service-time: the milliseconds to its head")
    func upstreamServiceTime() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let slow = try await proxy.get("/slow/60")
        #expect(slow.headers["x-envoy-upstream-service-time"].count == 1)
        let millis = try #require(slow.headers.first(name: "x-envoy-upstream-service-time").flatMap { Int($0) })
        #expect(millis >= 60 && millis < 5_000)
    }

    @Test("hop-by-hop headers and those named by Connection are not forwarded")
    func hopByHop() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let response = try await proxy.get(
            "/echo", headers: [("connection", "keep-alive, x-secret"), ("x-secret", "1"), ("keep-alive", "timeout=5"), ("x-kept", "yes")])
        #expect(response.status == 200)
        #expect(!response.body.contains("x-secret"))
        #expect(!response.body.contains("keep-alive: timeout"))
        #expect(response.body.contains("x-kept: yes"))
    }

    @Test("request bodies reach the upstream and large responses stream back whole")
    func bodies() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let posted = try await proxy.get("/echo", method: .POST, body: String(repeating: "b", count: 200_000))
        #expect(posted.body.hasPrefix("POST /echo body=200000"))
        let big = try await proxy.get("/big/3000000")
        #expect(big.status == 200)
        #expect(big.body.utf8.count == 3_000_000)
    }

    @Test("curl keeps one connection alive across requests, and h2c prior knowledge works")
    func curlKeepAliveAndH2C() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let url = "http://127.0.0.1:\(proxy.port)/echo"
        let twice = try Subprocess.curl(["-sv", url, url])
        #expect(twice.standardError.contains("Re-using existing connection") || twice.standardError.contains("Reusing existing"))
        let h2 = try Subprocess.curl(["-s", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", url])
        #expect(h2.standardOutput == "2 200")
        let post = try Subprocess.curl(["-s", "--http2-prior-knowledge", "--data-binary", "hello", url])
        #expect(post.standardOutput.hasPrefix("POST /echo body=5"))
    }

    @Test("Expect: 100-continue is answered by the proxy and the body still arrives")
    func expectContinue() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let result = try Subprocess.curl([
            "-s", "-H", "Expect: 100-continue", "--data-binary", String(repeating: "z", count: 2000),
            "http://127.0.0.1:\(proxy.port)/echo",
        ])
        #expect(result.standardOutput.hasPrefix("POST /echo body=2000"))
        #expect(!result.standardOutput.contains("expect:"))
    }

    @Test("an upstream that refuses connections gives 503, not a hang or crash")
    func upstreamDown() async throws {
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        await upstreams.stop()
        defer { Task { await proxy.stop() } }
        let response = try await proxy.get("/")
        #expect(response.status == 503)
        #expect(response.body.contains("connection failure"))
        #expect(response.headers["x-envoy-upstream-service-time"].isEmpty, "a local answer has no upstream service time")
    }
}

extension Subprocess {
    /// Runs curl (bounded by its own `--max-time`).
    static func curl(_ arguments: [String]) throws -> Subprocess.Result {
        guard let curl = TestTools.find("curl") else { throw TestTools.Failure(description: "curl is missing") }
        return try Subprocess.run(curl, ["--max-time", "10"] + arguments)
    }
}

import MeshTestSupport

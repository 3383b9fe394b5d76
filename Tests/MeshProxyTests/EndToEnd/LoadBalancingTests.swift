import Foundation
import MeshProxy
import Testing

/// DestinationRule load balancers seen from outside: which of two endpoints (`x-upstream-id` a or b) answers.
@Suite("Load balancing end to end", .serialized)
struct LoadBalancingTests {
    static func start(loadBalancer: String) async throws -> (ProxyHarness, Upstreams) {
        let upstreams = try await Upstreams.start(["a", "b"])
        let proxy = try await ProxyHarness.start(
            yaml: ServiceYAML.service(endpoints: 2, trafficPolicy: "{loadBalancer: \(loadBalancer)}"), upstreams: upstreams.servers)
        return (proxy, upstreams)
    }

    /// The endpoints that answered `count` requests, each with `headers(i)`.
    static func answerers(_ proxy: ProxyHarness, count: Int, headers: (Int) -> [(String, String)] = { _ in [] }) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            ids.append(try await proxy.get("/", headers: headers(index)).headers.first(name: "x-upstream-id") ?? "?")
        }
        return ids
    }

    @Test("ROUND_ROBIN alternates between the endpoints")
    func roundRobin() async throws {
        let (proxy, upstreams) = try await Self.start(loadBalancer: "{simple: ROUND_ROBIN}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let ids = try await Self.answerers(proxy, count: 20)
        #expect(upstreams[0].requests == 10 && upstreams[1].requests == 10, "\(ids)")
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 != $1 }, "\(ids)")
    }

    @Test("LEAST_REQUEST sends fewer requests to a slow endpoint")
    func leastRequest() async throws {
        let (proxy, upstreams) = try await Self.start(loadBalancer: "{simple: LEAST_REQUEST}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        upstreams[0].delay(by: 300)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await Self.answerers(proxy, count: 8) } }
            try await group.waitForAll()
        }
        let (slow, fast) = (upstreams[0].requests, upstreams[1].requests)
        #expect(slow + fast == 32)
        #expect(slow * 2 < fast, "under a third (round robin would give half): slow \(slow), fast \(fast)")
    }

    @Test("RANDOM uses both endpoints")
    func random() async throws {
        let (proxy, upstreams) = try await Self.start(loadBalancer: "{simple: RANDOM}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let ids = try await Self.answerers(proxy, count: 40)
        #expect(upstreams[0].requests > 0 && upstreams[1].requests > 0, "\(ids)")
    }

    @Test("consistentHash on httpHeaderName: the same header value sticks to one endpoint, different values spread")
    func headerHash() async throws {
        let (proxy, upstreams) = try await Self.start(loadBalancer: "{consistentHash: {httpHeaderName: x-user}}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let same = try await Self.answerers(proxy, count: 20) { _ in [("x-user", "alice")] }
        #expect(Set(same).count == 1, "\(same)")
        let spread = try await Self.answerers(proxy, count: 20) { [("x-user", "user-\($0)")] }
        #expect(Set(spread) == ["a", "b"], "\(spread)")
    }

    @Test("consistentHash on useSourceIp: one client sticks to one endpoint")
    func sourceIPHash() async throws {
        let (proxy, upstreams) = try await Self.start(loadBalancer: "{consistentHash: {useSourceIp: true}}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let ids = try await Self.answerers(proxy, count: 20)
        #expect(Set(ids).count == 1, "\(ids)")
    }

    @Test("consistentHash on httpCookie: the cookie's value picks the endpoint, different values spread")
    func cookieHash() async throws {
        let (proxy, upstreams) = try await Self.start(loadBalancer: "{consistentHash: {httpCookie: {name: user}}}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let same = try await Self.answerers(proxy, count: 20) { _ in [("cookie", "theme=dark; user=alice")] }
        #expect(Set(same).count == 1, "\(same)")
        let spread = try await Self.answerers(proxy, count: 20) { [("cookie", "user=user-\($0)")] }
        #expect(Set(spread) == ["a", "b"], "\(spread)")
        let uncookied = try await proxy.get("/")
        #expect(uncookied.headers["set-cookie"].isEmpty, "without a ttl the proxy sets no cookie")
    }

    @Test("httpCookie with a ttl: a request without the cookie gets one, and requests carrying it stick")
    func generatedCookie() async throws {
        let (proxy, upstreams) = try await Self.start(
            loadBalancer: "{consistentHash: {httpCookie: {name: affinity, path: /, ttl: 60s}}}")
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        var chosen: Set<String> = []
        for _ in 0..<12 {
            let first = try await proxy.get("/")
            let setCookie = try #require(first.headers.first(name: "set-cookie"))
            let match = try #require(setCookie.wholeMatch(of: /affinity="([0-9a-f]{16})"; Max-Age=60; Path=\/; HttpOnly/))
            let id = try #require(first.headers.first(name: "x-upstream-id"))
            chosen.insert(id)
            let sticky = try await Self.answerers(proxy, count: 3) { _ in [("cookie", "affinity=\"\(match.1)\"")] }
            #expect(sticky.allSatisfy { $0 == id }, "\(id) then \(sticky)")
            let carried = try await proxy.get("/", headers: [("cookie", "affinity=\(match.1)")])
            #expect(carried.headers["set-cookie"].isEmpty)
        }
        #expect(chosen == ["a", "b"], "new connections get different cookies")
    }
}

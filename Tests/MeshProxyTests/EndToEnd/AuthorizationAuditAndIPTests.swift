import Foundation
import MeshCore
import MeshTestSupport
import NIOPosix
import Testing

/// AUDIT policies (a log line on the proxy's standard error, the verdict unchanged) and TCP rules on the client
/// address, end to end.
@Suite("Authorization: AUDIT and client address rules end to end", .serialized)
struct AuthorizationAuditAndIPTests {
    static func policy(_ name: String, action: String, rules: String) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: \(name), namespace: default}
        spec: {action: \(action), rules: \(rules)}
        """
    }

    @Test("an AUDIT policy logs the requests it matches on stderr and leaves ALLOW and DENY verdicts as they are")
    func audit() async throws {
        let upstreams = try await Upstreams.start(["app"])
        defer { Task { await upstreams.stop() } }
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: app-sidecar}
            spec:
              listeners: [{name: main, address: 127.0.0.1:0, protocol: http, upstream: 127.0.0.1:\(upstreams[0].port)}]
            ---
            \(Self.policy("audit-reports", action: "AUDIT", rules: "[{to: [{operation: {paths: [/reports/*]}}]}]"))
            ---
            \(Self.policy("no-secrets", action: "DENY", rules: "[{to: [{operation: {paths: [/reports/secret]}}]}]"))
            """
        let directory = try TestTools.temporaryDirectory()
        let file = directory.appendingPathComponent("sidecar.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let proxy = try ProxyProcess(file: file)
        defer { proxy.stop() }
        let port = try #require(try await proxy.mainPort(), "\(proxy.output)")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { Task { try? await group.shutdownGracefully() } }
        func get(_ path: String) async throws -> Int { try await TestClient.get(port: port, path, group: group).status }

        #expect(try await get("/reports/q3") == 200)
        #expect(try await get("/reports/secret") == 403)
        #expect(try await get("/home") == 200)
        let lines = try await poll(timeout: .seconds(10)) { () -> [Value]? in
            let audits = proxy.output.split(separator: "\n").filter { $0.contains("\"audit\"") }.compactMap { try? JSON.parse(String($0)) }
            return audits.count >= 2 ? audits : nil
        } ?? []
        #expect(lines.count == 2, "\(proxy.output)")
        let byPath = Dictionary(lines.map { ($0["path"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPath["/reports/q3"]?["allowed"] == .bool(true))
        #expect(byPath["/reports/q3"]?["policy"]?.stringValue == "default/audit-reports")
        #expect(byPath["/reports/secret"]?["allowed"] == .bool(false))
        #expect(byPath["/home"] == nil)
        #expect(upstreams[0].requests == 2)
    }

    struct AddressCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let action: String
        let source: String
        let client: String
        let admitted: Bool
    }

    @Test(arguments: [
        AddressCase(testDescription: "ALLOW ipBlocks admits its address", action: "ALLOW", source: "{ipBlocks: [127.0.0.1/32]}", client: "127.0.0.1", admitted: true),
        AddressCase(testDescription: "ALLOW ipBlocks refuses another", action: "ALLOW", source: "{ipBlocks: [127.0.0.1/32]}", client: "127.0.0.2", admitted: false),
        AddressCase(testDescription: "ALLOW remoteIpBlocks admits its address", action: "ALLOW", source: "{remoteIpBlocks: [127.0.0.2/32]}", client: "127.0.0.2", admitted: true),
        AddressCase(testDescription: "ALLOW remoteIpBlocks refuses another", action: "ALLOW", source: "{remoteIpBlocks: [127.0.0.2/32]}", client: "127.0.0.1", admitted: false),
        AddressCase(testDescription: "DENY notIpBlocks refuses other addresses", action: "DENY", source: "{notIpBlocks: [127.0.0.1/32]}", client: "127.0.0.2", admitted: false),
        AddressCase(testDescription: "DENY notIpBlocks admits the excepted one", action: "DENY", source: "{notIpBlocks: [127.0.0.1/32]}", client: "127.0.0.1", admitted: true),
    ])
    func tcpClientAddress(_ test: AddressCase) async throws {
        let sidecar = try await EchoSidecar.start(
            resources: Self.policy("by-address", action: test.action, rules: "[{from: [{source: \(test.source)}]}]"))
        defer { Task { await sidecar.stop() } }
        let connection = try KeepAliveConnection(port: sidecar.port, source: test.client)
        _ = connection.send(Array("hello".utf8))
        connection.finishSending()
        let reply = connection.readToEnd()
        #expect(reply == (test.admitted ? "hello|bye" : ""))
        let stats = try await sidecar.proxy.admin("/stats").body
        #expect(stats.contains("http.meshctl.rbac.\(test.admitted ? "allowed" : "denied"): 1"), "\(stats)")
    }
}

/// `remoteIpBlocks` on HTTP: the original client as `x-forwarded-for` tells it, under Istio's gateway topology.
@Suite("Authorization: remoteIpBlocks and x-forwarded-for end to end", .serialized)
struct RemoteAddressTests {
    static let denyRange = AuthorizationAuditAndIPTests.policy(
        "no-doc-range", action: "DENY", rules: "[{from: [{source: {remoteIpBlocks: [203.0.113.0/24]}}]}]")

    @Test("a gateway behind one trusted proxy judges the client that proxy saw; without trust, the connection's peer")
    func gatewayTrustedProxies() async throws {
        let upstreams = try await Upstreams.start(["app"])
        let trusting = try await ProxyHarness.start(yaml: Self.denyRange, upstreams: upstreams.servers) {
            $0.role = "gateway"
            $0.gateway.numTrustedProxies = 1
        }
        let untrusting = try await ProxyHarness.start(yaml: Self.denyRange, upstreams: upstreams.servers) { $0.role = "gateway" }
        defer { Task { await trusting.stop(); await untrusting.stop(); await upstreams.stop() } }

        // The load balancer in front appended the client it saw (the last entry); what the client wrote before
        // it is not trusted.
        #expect(try await trusting.get("/echo", headers: [("x-forwarded-for", "198.51.100.1, 203.0.113.7")]).status == 403)
        let passed = try await trusting.get(
            "/echo", headers: [("x-forwarded-for", "203.0.113.7, 198.51.100.1"), ("x-forwarded-proto", "https")])
        #expect(passed.status == 200)
        #expect(passed.body.contains("x-forwarded-for: 203.0.113.7, 198.51.100.1, 127.0.0.1"))
        #expect(passed.body.split(separator: "\n").contains("x-forwarded-proto: https"), "the trusted proxy's scheme is kept")
        #expect(try await untrusting.get("/echo", headers: [("x-forwarded-for", "203.0.113.7")]).status == 200)
    }

    @Test("a sidecar judges the last x-forwarded-for entry (the edge proxy's), else the connection's peer")
    func sidecarLastEntry() async throws {
        let upstreams = try await Upstreams.start(["app"])
        let sidecar = try await ProxyHarness.start(yaml: Self.denyRange, upstreams: upstreams.servers)
        defer { Task { await sidecar.stop(); await upstreams.stop() } }
        #expect(try await sidecar.get("/echo", headers: [("x-forwarded-for", "198.51.100.1, 203.0.113.7")]).status == 403)
        #expect(try await sidecar.get("/echo", headers: [("x-forwarded-for", "203.0.113.7, 198.51.100.1")]).status == 200)
        #expect(try await sidecar.get("/echo").status == 200)
    }
}

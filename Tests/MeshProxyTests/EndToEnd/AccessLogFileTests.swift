import Foundation
import MeshCore
import MeshProxy
import MeshTestSupport
import Testing

/// The access log written to a file: one JSON line per request with Istio's default JSON fields, off unless
/// configured, and a file that can't be opened refused at start.
@Suite("Access log file end to end", .serialized)
struct AccessLogFileTests {
    static func lines(of path: String, count: Int) async throws -> [Value] {
        let found: [Value]? = try await poll(timeout: .seconds(5)) { () throws -> [Value]? in
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n")
            return lines.count >= count ? try lines.map { try JSON.parse(bytes: Array($0.utf8)) } : nil
        }
        return found ?? []
    }

    @Test("accessLog.path gets one JSON line per request, forwarded or answered locally, with Envoy's fields")
    func fileTarget() async throws {
        let path = try TestTools.temporaryDirectory().appendingPathComponent("access.log").path
        let upstreams = try await Upstreams.start(["a"])
        let proxy = try await ProxyHarness.start(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: only-echo, namespace: default}
                spec:
                  hosts: ["*"]
                  http: [{name: echo, match: [{uri: {prefix: /echo}}], route: [{destination: {host: upstream}}]}]
                """,
            upstreams: upstreams.servers, configure: { $0.accessLog = AccessLogConfig(path: path) })
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let forwarded = try await proxy.get(
            "/echo?x=1", headers: [("user-agent", "curl/8"), ("x-forwarded-for", "10.0.0.9"), ("x-request-id", "rid-1")],
            method: .POST, body: "hello")
        #expect(forwarded.status == 200)
        #expect(try await proxy.get("/nowhere").status == 404)
        let lines = try await Self.lines(of: path, count: 2)
        try #require(lines.count == 2)
        let first = lines[0]
        #expect(first["method"] == .string("POST"))
        #expect(first["path"] == .string("/echo?x=1"))
        #expect(first["protocol"] == .string("HTTP/1.1"))
        #expect(first["response_code"] == .int(200))
        #expect(first["response_flags"] == .string("-"))
        #expect(first["bytes_received"] == .int(5))
        #expect(first["bytes_sent"] == .int(forwarded.body.utf8.count))
        #expect(first["x_forwarded_for"] == .string("10.0.0.9"))
        #expect(first["user_agent"] == .string("curl/8"))
        #expect(first["request_id"] == .string("rid-1"))
        #expect(first["upstream_host"] == .string("127.0.0.1:\(upstreams.servers[0].port)"))
        #expect(first["upstream_cluster"]?.stringValue?.isEmpty == false)
        #expect(first["route_name"] == .string("echo"))
        #expect(first["duration"]?.intValue != nil)
        #expect(first["upstream_service_time"]?.intValue != nil)
        #expect(first["start_time"]?.stringValue?.hasSuffix("Z") == true)
        #expect(first["authority"]?.stringValue?.hasPrefix("127.0.0.1") == true)
        // The trusted client address: a sidecar takes the last x-forwarded-for entry (port 0), else the peer.
        #expect(first["downstream_remote_address"] == .string("10.0.0.9:0"))
        #expect(first["downstream_local_address"] == .string("127.0.0.1:\(proxy.port)"))
        let local = lines[1]
        #expect(local["response_code"] == .int(404))
        #expect(local["response_flags"] == .string("NR"))
        #expect(local["upstream_host"] == .null)
        let peer = try #require(local["downstream_remote_address"]?.stringValue)
        #expect(peer.hasPrefix("127.0.0.1:") && peer != "127.0.0.1:0")
        #expect(local["request_id"]?.stringValue?.count == 36, "a local answer has the request id Envoy makes for every request")
    }

    @Test("the access log is off by default; a file that can't be opened is an invalid config naming the field")
    func offByDefaultAndUnopenable() throws {
        let yaml = """
            apiVersion: meshctl.dev/v1alpha1
            kind: ProxyBootstrap
            metadata: {name: p}
            spec:
              accessLog: {path: /nonexistent-dir/access.log}
              listeners: [{name: main, address: 127.0.0.1:0, protocol: http, upstream: 127.0.0.1:1}]
            """
        let plain = try ConfigLoader.load(documents: YAML.parseDocuments(yaml.replacingOccurrences(of: "  accessLog: {path: /nonexistent-dir/access.log}\n", with: "")))
        #expect(plain.accessLog == nil)
        let config = try ConfigLoader.load(documents: YAML.parseDocuments(yaml))
        #expect(config.accessLog == AccessLogConfig(path: "/nonexistent-dir/access.log", source: "ProxyBootstrap p: spec.accessLog.path"))
        do {
            _ = try ProxyServer(config: config)
            Issue.record("an unopenable access log file was accepted")
        } catch let error as ProxyError {
            #expect(error.exitCode.rawValue == 65)
            #expect(error.message.contains("spec.accessLog.path: cannot open /nonexistent-dir/access.log"), "\(error.message)")
        }
        #expect(throws: ProxyError.self) {
            try ConfigLoader.load(documents: YAML.parseDocuments(yaml.replacingOccurrences(of: "{path:", with: "{format: json, path:")))
        }
    }
}

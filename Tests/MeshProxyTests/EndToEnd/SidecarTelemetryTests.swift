import MeshCore
import MeshProxy
import Testing

/// Telemetry across two sidecars: the server side's metrics tell mutual TLS from plain text, both sidecars'
/// spans form one trace (the outbound's CLIENT span is the parent of the inbound's SERVER span), and a B3
/// single header is carried on with the proxy's span.
@Suite("Sidecar telemetry end to end", .serialized)
struct SidecarTelemetryTests {
    /// Traces every request to the Zipkin collector on `port`.
    static func traced(to port: Int) -> (inout ProxyConfig) -> Void {
        { config in
            config.tracing.enabled = true
            config.tracing.samplingPercent = 100
            config.tracing.zipkin = HostPort(host: "127.0.0.1", port: port)
        }
    }

    /// An inbound `backend` sidecar (PERMISSIVE, its identity from `meshctl pki`) and an outbound `frontend`
    /// sidecar reaching it over auto mTLS, both configured by `configure`.
    static func sidecars(
        _ pki: MeshctlPKI, upstreams: Upstreams, configure: @escaping (inout ProxyConfig) -> Void = { _ in }
    ) async throws -> (inbound: ProxyHarness, outbound: ProxyHarness) {
        let inbound = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.inboundYAML(pki, resources: PeerAuthenticationTests.peerAuthentication("PERMISSIVE")),
            upstreams: upstreams.servers, shorthand: false, configure: configure)
        let outbound = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.outboundYAML(
                pki, workload: "{namespace: default, labels: {app: frontend}}", backendPort: inbound.port,
                labels: "{security.istio.io/tlsMode: istio}", serviceAccount: "backend"),
            upstreams: upstreams.servers, shorthand: false, admin: false, configure: configure)
        return (inbound, outbound)
    }

    @Test("the server side's istio_requests_total says mutual_tls for an mTLS request and none for plain text")
    func connectionSecurityPolicy() async throws {
        let pki = try MeshctlPKI.make(workloads: ["backend", "frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let (inbound, outbound) = try await Self.sidecars(pki, upstreams: upstreams)
        defer { Task { await outbound.stop(); await inbound.stop(); await upstreams.stop() } }
        #expect(try await outbound.get("/").status == 200)
        #expect(try await inbound.get("/").status == 200)
        let lines = try await poll(timeout: .seconds(10)) { () -> [Substring]? in
            let text = try await inbound.admin("/stats/prometheus").body
            let requests = text.split(separator: "\n").filter { $0.hasPrefix("istio_requests_total{") }
            return requests.count >= 2 ? requests : nil
        } ?? []
        #expect(lines.count == 2, "\(lines)")
        for policy in ["mutual_tls", "none"] {
            let line = lines.first { $0.contains("connection_security_policy=\"\(policy)\"") }
            #expect(line?.hasSuffix("} 1") == true, "no \(policy) request counted: \(lines)")
            #expect(line?.contains("reporter=\"destination\"") == true)
        }
        let mutual = lines.first { $0.contains("connection_security_policy=\"mutual_tls\"") }
        #expect(mutual?.contains("source_principal=\"spiffe://cluster.local/ns/default/sa/frontend\"") == true, "\(lines)")
    }

    @Test("both sidecars tracing: the outbound's CLIENT span is the parent of the inbound's SERVER span in one trace")
    func clientAndServerSpans() async throws {
        let pki = try MeshctlPKI.make(workloads: ["backend", "frontend"])
        let upstreams = try await Upstreams.start(["backend"])
        let collector = try await SpanCollector.start(group: upstreams.group)
        let (inbound, outbound) = try await Self.sidecars(pki, upstreams: upstreams, configure: Self.traced(to: collector.port))
        defer { Task { await outbound.stop(); await inbound.stop(); await collector.stop(); await upstreams.stop() } }
        let response = try await outbound.get("/echo")
        #expect(response.status == 200)
        let spans = try await poll(timeout: .seconds(10)) { () -> [Value]? in
            let all = collector.posts(to: "/api/v2/spans").flatMap { $0.arrayValue ?? [] }
            return all.count >= 2 ? all : nil
        } ?? []
        #expect(spans.count == 2)
        let client = try #require(spans.first { $0["kind"]?.stringValue == "CLIENT" }, "\(spans)")
        let server = try #require(spans.first { $0["kind"]?.stringValue == "SERVER" }, "\(spans)")
        #expect(client["traceId"] == server["traceId"])
        #expect(client["parentId"] == nil, "the outbound sidecar started the trace")
        #expect(server["parentId"] == client["id"])
        #expect(server["id"] != client["id"])
        // The application behind the inbound sidecar sees the SERVER span as its parent.
        #expect(response.body.contains("x-b3-spanid: \(server["id"]?.stringValue ?? "-")"), "\(response.body)")
    }

    @Test("a request with a B3 single header: upstream gets it rewritten with the proxy's span, and the B3 multi headers")
    func b3Single() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let collector = try await SpanCollector.start(group: upstreams.group)
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers, admin: false, configure: Self.traced(to: collector.port))
        defer { Task { await proxy.stop(); await collector.stop(); await upstreams.stop() } }
        let trace = "80f198ee56343ba864fe8b2a57d3eff7", caller = "e457b5a2e4d86bd1"
        let response = try await proxy.get("/echo", headers: [("b3", "\(trace)-\(caller)-1")])
        #expect(response.status == 200)
        let span = try #require(try await poll(timeout: .seconds(10)) { collector.posts(to: "/api/v2/spans").first?.arrayValue?.first })
        let spanID = try #require(span["id"]?.stringValue)
        #expect(span["traceId"]?.stringValue == trace)
        #expect(span["parentId"]?.stringValue == caller)
        let seen = response.body.split(separator: "\n")
        #expect(seen.contains("b3: \(trace)-\(spanID)-1"), "\(response.body)")
        #expect(seen.filter { $0.hasPrefix("b3:") }.count == 1)
        #expect(seen.contains("x-b3-traceid: \(trace)"))
        #expect(seen.contains("x-b3-spanid: \(spanID)"))
        #expect(seen.contains("x-b3-parentspanid: \(caller)"))
        #expect(seen.contains("traceparent: 00-\(trace)-\(spanID)-01"))
    }
}

import MeshCore
@testable import MeshProxy
import Testing

/// Tracing end to end: the proxy joins the caller's trace, passes its span to the application in W3C and B3
/// headers, and sends the span to Zipkin and OTLP collectors; sampling and Telemetry settings decide which.
@Suite("Tracing end to end", .serialized)
struct TracingTests {
    static func bootstrap(sampling: Double, collector: Int, extra: String = "") -> String {
        """
        apiVersion: meshctl.dev/v1alpha1
        kind: ProxyBootstrap
        metadata: {name: traced}
        spec:
          admin: "127.0.0.1:0"
          workload: {namespace: assets, name: asset-api, labels: {app: asset-api}}
          listeners:
          - {name: main, address: "127.0.0.1:0", protocol: http, upstream: "127.0.0.1:UPSTREAM_0"}
          tracing:
            sampling: \(sampling)
            zipkin: {address: "127.0.0.1:\(collector)"}
            opentelemetry: {address: "127.0.0.1:\(collector)"}
        \(extra)
        """
    }

    @Test("a sampled B3 request: the app sees the proxy's span as parent; Zipkin and OTLP get the SERVER span")
    func joinsTheCallersTrace() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let collector = try await SpanCollector.start(group: upstreams.group)
        let proxy = try await ProxyHarness.start(
            yaml: Self.bootstrap(sampling: 0, collector: collector.port), upstreams: upstreams.servers, shorthand: false, admin: false)
        defer { Task { await proxy.stop(); await collector.stop(); await upstreams.stop() } }
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        let response = try await proxy.get(
            "/echo", headers: [("x-b3-traceid", trace), ("x-b3-spanid", "00f067aa0ba902b7"), ("x-b3-sampled", "1")])
        #expect(response.status == 200)
        let seen = Dictionary(response.body.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1].dropFirst())) : nil
        }, uniquingKeysWith: { first, _ in first })
        #expect(seen["x-b3-traceid"] == trace)
        #expect(seen["x-b3-parentspanid"] == "00f067aa0ba902b7")
        let spanID = try #require(seen["x-b3-spanid"])
        #expect(spanID.count == 16 && spanID != "00f067aa0ba902b7")
        #expect(seen["traceparent"] == "00-\(trace)-\(spanID)-01")

        let zipkin = try #require(try await poll(timeout: .seconds(10)) { collector.posts(to: "/api/v2/spans").first })
        let span = try #require(zipkin.arrayValue?.first)
        #expect(span["traceId"]?.stringValue == trace)
        #expect(span["id"]?.stringValue == spanID)
        #expect(span["parentId"]?.stringValue == "00f067aa0ba902b7")
        #expect(span["kind"]?.stringValue == "SERVER")
        #expect(span["localEndpoint"]?["serviceName"]?.stringValue == "asset-api.assets")
        #expect(span["tags"]?["http.status_code"]?.stringValue == "200")
        #expect(span["tags"]?["http.method"]?.stringValue == "GET")
        #expect(span["tags"]?["guid:x-request-id"]?.stringValue == seen["x-request-id"])
        let otlp = try #require(try await poll(timeout: .seconds(10)) { collector.posts(to: "/v1/traces").first })
        let resource = try #require(otlp["resourceSpans"]?.arrayValue?.first)
        #expect(resource["resource"]?["attributes"]?.arrayValue?.first?["value"]?["stringValue"]?.stringValue == "asset-api.assets")
        let otlpSpan = try #require(resource["scopeSpans"]?.arrayValue?.first?["spans"]?.arrayValue?.first)
        #expect(otlpSpan["traceId"]?.stringValue == trace)
        #expect(otlpSpan["parentSpanId"]?.stringValue == "00f067aa0ba902b7")
        #expect(otlpSpan["kind"]?.intValue == 2)
        // Both collectors took the batch: two reports, one span each.
        let reported = try await poll(timeout: .seconds(10)) { () -> Bool? in
            let stats = AdminPages.stats(proxy.server.runtime)
            return stats.contains { $0 == ("tracing.reports_sent", 2) } && stats.contains { $0 == ("tracing.spans_sent", 2) } ? true : nil
        }
        #expect(reported == true, "\(AdminPages.stats(proxy.server.runtime).filter { $0.0.hasPrefix("tracing.") })")
    }

    @Test("unsampled traffic still propagates (sampled 0) but sends nothing; a Telemetry resource can turn sampling up")
    func samplingAndTelemetry() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let collector = try await SpanCollector.start(group: upstreams.group)
        let quiet = try await ProxyHarness.start(
            yaml: Self.bootstrap(sampling: 0, collector: collector.port), upstreams: upstreams.servers, shorthand: false, admin: false)
        let response = try await quiet.get("/echo")
        #expect(response.body.contains("x-b3-sampled: 0"))
        #expect(response.body.contains("traceparent: 00-"))
        await quiet.stop()  // flushes: nothing was sampled
        #expect(collector.posts(to: "/api/v2/spans").isEmpty)

        let telemetry = """
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: trace-all, namespace: assets}
            spec:
              selector: {matchLabels: {app: asset-api}}
              tracing: [{randomSamplingPercentage: 100}]
            """
        let loud = try await ProxyHarness.start(
            yaml: Self.bootstrap(sampling: 0, collector: collector.port, extra: telemetry), upstreams: upstreams.servers,
            shorthand: false, admin: false)
        defer { Task { await loud.stop(); await collector.stop(); await upstreams.stop() } }
        for _ in 0..<3 { _ = try await loud.get("/") }
        let spans = try await poll(timeout: .seconds(10)) { () -> Int? in
            let count = collector.posts(to: "/api/v2/spans").reduce(0) { $0 + ($1.arrayValue?.count ?? 0) }
            return count >= 3 ? count : nil
        }
        #expect(spans == 3)
    }

    @Test("without tracing configured, trace headers pass through untouched and none are added")
    func offByDefault() async throws {
        let upstreams = try await Upstreams.start(["api"])
        let proxy = try await ProxyHarness.start(upstreams: upstreams.servers)
        defer { Task { await proxy.stop(); await upstreams.stop() } }
        let response = try await proxy.get("/echo", headers: [("x-b3-traceid", "a3ce929d0e0e4736"), ("x-b3-spanid", "00f067aa0ba902b7")])
        #expect(response.body.contains("x-b3-traceid: a3ce929d0e0e4736"))
        #expect(response.body.contains("x-b3-spanid: 00f067aa0ba902b7"))
        #expect(!response.body.contains("traceparent"))
        #expect(!response.body.contains("x-b3-sampled"))
    }
}

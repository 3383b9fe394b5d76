import NIOHTTP1
import Testing
@testable import MeshProxy

/// Trace context in and out: W3C traceparent, B3 multi and single headers, sampling decisions.
@Suite("Trace context")
struct TraceContextTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let span = "00f067aa0ba902b7"

    @Test("W3C traceparent, with tracestate kept; B3 multi (64-bit ids padded); B3 single; a bare b3 decision")
    func extract() {
        #expect(TraceContext.extract(from: ["traceparent": "00-\(Self.trace)-\(Self.span)-01", "tracestate": "vendor=x"])
            == TraceContext(traceID: Self.trace, parentSpanID: Self.span, sampled: true, traceState: "vendor=x"))
        #expect(TraceContext.extract(from: ["x-b3-traceid": "a3ce929d0e0e4736", "x-b3-spanid": Self.span, "x-b3-sampled": "0"])
            == TraceContext(traceID: "0000000000000000a3ce929d0e0e4736", parentSpanID: Self.span, sampled: false))
        #expect(TraceContext.extract(from: ["x-b3-traceid": Self.trace, "x-b3-spanid": Self.span, "x-b3-flags": "1"])?.sampled == true)
        #expect(TraceContext.extract(from: ["b3": "\(Self.trace)-\(Self.span)-d"])
            == TraceContext(traceID: Self.trace, parentSpanID: Self.span, sampled: true))
        #expect(TraceContext.extract(from: ["b3": "0"]) == TraceContext(traceID: "", parentSpanID: nil, sampled: false))
        #expect(TraceContext.extract(from: ["x-b3-traceid": Self.trace, "x-b3-spanid": Self.span])?.sampled == nil)
    }

    @Test(
        "malformed or all-zero ids start a new trace",
        arguments: [
            ["traceparent": "00-\(String(repeating: "0", count: 32))-00f067aa0ba902b7-01"],
            ["traceparent": "00-4bf92f3577b34da6-00f067aa0ba902b7-01"],
            ["traceparent": "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
            ["x-b3-traceid": "xyz", "x-b3-spanid": "00f067aa0ba902b7"],
            ["x-b3-traceid": "4bf92f3577b34da6a3ce929d0e0e4736"],
            ["b3": "4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-1"],
        ] as [HTTPHeaders])
    func malformed(_ headers: HTTPHeaders) {
        #expect(TraceContext.extract(from: headers) == nil)
    }

    @Test("the forwarded request carries the proxy's span as the parent, in W3C and B3, replacing what came in")
    func inject() {
        var headers: HTTPHeaders = ["b3": "stale", "x-b3-spanid": "old", "accept": "*/*"]
        TraceContext(traceID: Self.trace, parentSpanID: Self.span, sampled: true).inject(into: &headers, spanID: "1111111111111111")
        #expect(headers["b3"] == ["\(Self.trace)-1111111111111111-1"], "a B3 single header is rewritten, not passed on")
        #expect(headers.first(name: "traceparent") == "00-\(Self.trace)-1111111111111111-01")
        #expect(headers.first(name: "x-b3-traceid") == Self.trace)
        #expect(headers.first(name: "x-b3-spanid") == "1111111111111111")
        #expect(headers.first(name: "x-b3-parentspanid") == Self.span)
        #expect(headers.first(name: "x-b3-sampled") == "1")
        #expect(headers.first(name: "accept") == "*/*")
        var multi: HTTPHeaders = ["x-b3-traceid": Self.trace]
        TraceContext(traceID: Self.trace, parentSpanID: nil, sampled: false).inject(into: &multi, spanID: "1111111111111111")
        #expect(multi.first(name: "b3") == nil, "no B3 single header where none came in")
    }

    @Test("the proxy keeps the caller's trace and decision; without one it samples at the configured percentage")
    func begin() {
        var config = TracingConfig()
        config.samplingPercent = 25
        let tracer = Tracer(config: config, exporter: nil, serviceName: "api.assets")
        var counter: UInt64 = 0
        func next() -> UInt64 { counter &+= 1; return counter &* 0x9E37_79B9_7F4A_7C15 }
        let kept = tracer.begin(incoming: TraceContext(traceID: Self.trace, parentSpanID: Self.span, sampled: false), random: next)
        #expect(kept.context.traceID == Self.trace && kept.context.sampled == false && kept.spanID.count == 16)
        var sampled = 0
        for _ in 0..<4000 where tracer.begin(incoming: nil, random: next).context.sampled == true { sampled += 1 }
        #expect((800...1200).contains(sampled), "\(sampled) of 4000 at 25%")
        let fresh = tracer.begin(incoming: nil, random: next)
        #expect(fresh.context.traceID.count == 32 && fresh.context.parentSpanID == nil)
    }
}

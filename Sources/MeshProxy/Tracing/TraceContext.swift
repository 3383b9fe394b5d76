import NIOHTTP1

/// The trace a request belongs to, as read from and written to headers: W3C Trace Context (`traceparent`,
/// `tracestate`) and Zipkin's B3, both the multi-header form (`x-b3-*`) and the single `b3` header. Pure.
struct TraceContext: Equatable, Sendable {
    /// 32 lowercase hex digits (a 16-digit B3 trace id is left-padded with zeros); empty when the caller sent
    /// only a sampling decision (`b3: 0`), so the proxy starts the trace under that decision.
    var traceID: String
    /// The span the request comes from (the parent of the proxy's span); `nil` when the proxy starts the trace.
    var parentSpanID: String?
    /// `nil`: no decision was made upstream (the proxy decides); otherwise the caller's decision.
    var sampled: Bool?
    /// W3C `tracestate`, passed on unchanged.
    var traceState: String?

    /// The incoming context of a request, W3C first, then B3 single, then B3 multi; `nil` when there is none
    /// or it is malformed (then the proxy starts a new trace, as Envoy does).
    static func extract(from headers: HTTPHeaders) -> TraceContext? {
        if let parent = headers.first(name: "traceparent") {
            let parts = parent.lowercased().split(separator: "-")
            if parts.count >= 4, parts[0].count == 2, parts[0] != "ff", isHex(parts[1], 32), isHex(parts[2], 16),
                isHex(parts[3], 2), !allZero(parts[1]), !allZero(parts[2]), let flags = UInt8(parts[3], radix: 16)
            {
                return TraceContext(
                    traceID: String(parts[1]), parentSpanID: String(parts[2]), sampled: flags & 1 == 1,
                    traceState: headers.first(name: "tracestate"))
            }
        }
        if let single = headers.first(name: "b3") {
            let parts = single.lowercased().split(separator: "-")
            if parts.count == 1, let decision = sampling(parts[0]) {
                return TraceContext(traceID: "", parentSpanID: nil, sampled: decision)
            }
            if parts.count >= 2, let trace = b3TraceID(parts[0]), isHex(parts[1], 16), !allZero(parts[1]) {
                return TraceContext(
                    traceID: trace, parentSpanID: String(parts[1]), sampled: parts.count >= 3 ? sampling(parts[2]) : nil)
            }
        }
        if let trace = headers.first(name: "x-b3-traceid").flatMap({ b3TraceID($0.lowercased()[...]) }),
            let span = headers.first(name: "x-b3-spanid")?.lowercased(), isHex(span[...], 16), !allZero(span[...])
        {
            var sampled = headers.first(name: "x-b3-sampled").flatMap { sampling($0.lowercased()[...]) }
            if headers.first(name: "x-b3-flags") == "1" { sampled = true }
            return TraceContext(traceID: trace, parentSpanID: span, sampled: sampled)
        }
        return nil
    }

    /// Replaces the trace headers of a forwarded request with this context and `spanID` (the proxy's span) as
    /// the parent the next hop sees: both W3C and B3 multi-header, so either kind of application can follow,
    /// and a B3 single header when the request came with one. (Envoy passes that one on unchanged, so the next
    /// hop, which reads it first, skips the proxy's span: envoyproxy/envoy#47515.)
    func inject(into headers: inout HTTPHeaders, spanID: String) {
        let single = headers.contains(name: "b3")
        for name in ["traceparent", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags"] {
            headers.remove(name: name)
        }
        let isSampled = sampled ?? false
        if single { headers.add(name: "b3", value: "\(traceID)-\(spanID)-\(isSampled ? "1" : "0")") }
        headers.add(name: "traceparent", value: "00-\(traceID)-\(spanID)-\(isSampled ? "01" : "00")")
        headers.add(name: "x-b3-traceid", value: traceID)
        headers.add(name: "x-b3-spanid", value: spanID)
        if let parentSpanID { headers.add(name: "x-b3-parentspanid", value: parentSpanID) }
        headers.add(name: "x-b3-sampled", value: isSampled ? "1" : "0")
    }

    private static func sampling(_ text: Substring) -> Bool? {
        switch text {
        case "1", "d", "true": true
        case "0", "false": false
        default: nil
        }
    }

    private static func b3TraceID(_ text: Substring) -> String? {
        if isHex(text, 32), !allZero(text) { return String(text) }
        if isHex(text, 16), !allZero(text) { return String(repeating: "0", count: 16) + text }
        return nil
    }

    private static func isHex(_ text: Substring, _ count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func allZero(_ text: Substring) -> Bool { text.utf8.allSatisfy { $0 == 48 } }
}

/// Random trace and span ids in hex.
enum TraceIDs {
    static func hex64(_ value: UInt64) -> String {
        let text = String(value == 0 ? 1 : value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

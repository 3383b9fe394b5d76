import MeshCore

/// A finished span of the proxy: one per request hop, SERVER for inbound sidecar listeners, CLIENT otherwise.
struct Span: Sendable {
    var traceID: String
    var id: String
    var parentID: String?
    var name: String
    var isServer: Bool
    /// Wall-clock start in microseconds since 1970, and the duration in microseconds.
    var startMicros: Int64
    var durationMicros: Int64
    /// `workload.namespace`, as Istio names the local service of a span.
    var serviceName: String
    var remoteAddress: String?
    var tags: [(String, String)]
    var isError: Bool

    /// Zipkin v2 JSON (one element of the array POSTed to `/api/v2/spans`).
    var zipkin: Value {
        var span: Value.Object = [
            "traceId": .string(traceID), "id": .string(id), "name": .string(name), "kind": .string(isServer ? "SERVER" : "CLIENT"),
            "timestamp": .int(Int(startMicros)), "duration": .int(Int(max(1, durationMicros))),
            "localEndpoint": ["serviceName": .string(serviceName)],
            "tags": .object(Value.Object(tags.map { ($0.0, Value.string($0.1)) } + (isError ? [("error", "true")] : []))),
        ]
        if let parentID { span["parentId"] = .string(parentID) }
        if let remoteAddress { span["remoteEndpoint"] = [remoteAddress.contains(":") ? "ipv6" : "ipv4": .string(remoteAddress)] }
        return .object(span)
    }

    /// OTLP/HTTP JSON body of a batch of spans (ids in hex, times in nanoseconds as strings, as OTLP/JSON has it),
    /// grouped by service.
    static func otlp(_ spans: [Span]) -> Value {
        var byService: [String: [Value]] = [:]
        var order: [String] = []
        for span in spans {
            if byService[span.serviceName] == nil { order.append(span.serviceName) }
            var item: Value.Object = [
                "traceId": .string(span.traceID), "spanId": .string(span.id), "name": .string(span.name),
                "kind": .int(span.isServer ? 2 : 3),
                "startTimeUnixNano": .string(String(span.startMicros * 1000)),
                "endTimeUnixNano": .string(String((span.startMicros + max(1, span.durationMicros)) * 1000)),
                "attributes": .array(span.tags.map { ["key": .string($0.0), "value": ["stringValue": .string($0.1)]] }),
                "status": ["code": .int(span.isError ? 2 : 0)],
            ]
            if let parent = span.parentID { item["parentSpanId"] = .string(parent) }
            byService[span.serviceName, default: []].append(.object(item))
        }
        return [
            "resourceSpans": .array(order.map { service in
                [
                    "resource": ["attributes": [["key": "service.name", "value": ["stringValue": .string(service)]]]],
                    "scopeSpans": [["scope": ["name": "meshctl-proxy"], "spans": .array(byService[service] ?? [])]],
                ]
            }),
        ]
    }
}

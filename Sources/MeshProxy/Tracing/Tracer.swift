/// Tracing while the proxy runs: the sampling decision of each request, its span ids, and the exporter that
/// finished spans go to (none when nothing is configured: headers still propagate).
final class Tracer: Sendable {
    let config: TracingConfig
    let exporter: SpanExporter?
    /// `workload.namespace`, the local service of every span.
    let serviceName: String

    init(config: TracingConfig, exporter: SpanExporter?, serviceName: String) {
        self.config = config
        self.exporter = exporter
        self.serviceName = serviceName
    }

    /// The context and the proxy's span id for a request with these incoming headers: the caller's trace and
    /// decision when it sent one, else a new trace sampled at `samplingPercent`. `random` gives three words.
    func begin(incoming: TraceContext?, random: () -> UInt64) -> (context: TraceContext, spanID: String) {
        var context = incoming ?? TraceContext(traceID: "", parentSpanID: nil, sampled: nil)
        if context.traceID.isEmpty { context.traceID = TraceIDs.hex64(random()) + TraceIDs.hex64(random()) }
        if context.sampled == nil {
            context.sampled = Double(random() % 1_000_000) < config.samplingPercent * 10_000
        }
        return (context, TraceIDs.hex64(random()))
    }
}

/// The span of the request in flight on a handler, with what its tags need from the request.
struct ActiveSpan {
    var context: TraceContext
    var spanID: String
    var startMicros: Int64
    var method: String
    var url: String
    var httpProtocol: String
    var requestID = ""
    var upstreamCluster = "-"
    /// The port of the endpoint the last try went to (CLIENT span names).
    var upstreamPort: Int?
}

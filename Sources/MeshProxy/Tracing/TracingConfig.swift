/// Distributed tracing of a proxy: how many requests are sampled and where their spans go.
public struct TracingConfig: Sendable {
    /// Whether the proxy traces at all (a bootstrap `tracing` section or a Telemetry resource with `tracing`
    /// turns it on, as a tracer in Envoy's config does; Istio's installs always configure one). Off, trace
    /// headers pass through untouched.
    public var enabled = false
    /// Percentage of requests that start a sampled trace when the caller made no decision (Istio's
    /// `meshConfig.defaultConfig.tracing.sampling`, 1% by default; a Telemetry `randomSamplingPercentage`
    /// overrides it).
    public var samplingPercent: Double = 1
    /// Zipkin collector: spans are POSTed as Zipkin v2 JSON to `zipkinPath`.
    public var zipkin: HostPort?
    public var zipkinPath = "/api/v2/spans"
    /// OpenTelemetry collector: spans are POSTed as OTLP/HTTP JSON to `otlpPath`.
    public var otlp: HostPort?
    public var otlpPath = "/v1/traces"
    /// Telemetry `disableSpanReporting`: headers still propagate, no span is sent.
    public var reportingDisabled = false

    public init() {}

    /// Whether spans have somewhere to go.
    var exports: Bool { !reportingDisabled && (zipkin != nil || otlp != nil) }
}

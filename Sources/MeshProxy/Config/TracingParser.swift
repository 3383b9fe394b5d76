import MeshCore

/// Tracing settings: the bootstrap's `tracing` (sampling and collectors, the parts of Istio's mesh config a
/// proxy needs), refined by Istio `Telemetry` resources that select the workload.
enum TracingParser {
    /// `spec.tracing` of the bootstrap.
    static func bootstrap(_ tracing: FieldReader, to config: inout TracingConfig) throws(ProxyError) {
        config.enabled = true
        if let sampling = try tracing.double("sampling") { config.samplingPercent = try percent(sampling, tracing, "sampling") }
        if let zipkin = try tracing.child("zipkin") {
            guard let address = try zipkin.hostPort("address") else { throw zipkin.fail("address", "required (HOST:PORT)") }
            config.zipkin = address
            if let path = try zipkin.string("path") { config.zipkinPath = path }
        }
        if let otlp = try tracing.child("opentelemetry") {
            guard let address = try otlp.hostPort("address") else { throw otlp.fail("address", "required (HOST:PORT)") }
            config.otlp = address
            if let path = try otlp.string("path") { config.otlpPath = path }
        }
    }

    /// A `Telemetry` resource in `namespace`: applied when it is in the root namespace, or the workload's
    /// namespace with no selector or a matching one (later, more specific ones override: root, then namespace,
    /// then selector). Returns the rank it applied at, or nil.
    static func telemetry(
        _ spec: FieldReader, namespace: String, workload: (namespace: String, labels: [String: String]), rootNamespace: String
    ) throws(ProxyError) -> (rank: Int, apply: (inout TracingConfig) -> Void)? {
        let selector = try spec.child("selector")?.stringMap("matchLabels") ?? [:]
        let rank: Int
        if namespace == workload.namespace && !selector.isEmpty {
            guard selector.allSatisfy({ workload.labels[$0.key] == $0.value }) else { return nil }
            rank = 2
        } else if namespace == workload.namespace {
            rank = 1
        } else if namespace == rootNamespace && selector.isEmpty {
            rank = 0
        } else {
            return nil
        }
        var sampling: Double?
        var disabled: Bool?
        let entries = try spec.children("tracing")
        if entries.isEmpty { return nil }
        for entry in entries {
            if let value = try entry.double("randomSamplingPercentage") {
                sampling = try percent(value, entry, "randomSamplingPercentage")
            }
            if let value = try entry.bool("disableSpanReporting") { disabled = value }
        }
        return (rank, { config in
            config.enabled = true
            if let sampling { config.samplingPercent = sampling }
            if let disabled { config.reportingDisabled = disabled }
        })
    }

    private static func percent(_ value: Double, _ reader: FieldReader, _ key: String) throws(ProxyError) -> Double {
        guard (0...100).contains(value) else { throw reader.fail(key, "must be 0 to 100") }
        return value
    }
}

import MeshCore
import NIOCore
import NIOHTTP1

/// The text of the admin endpoints, rendered from the runtime's counters and config.
enum AdminPages {
    static func render(path: String, method: HTTPMethod, runtime: ProxyRuntime) -> (HTTPResponseStatus, String, String) {
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let route = parts.first.map(String.init) ?? path
        switch route {
        case "/ready":
            let draining = runtime.allLoops.contains { $0.draining }
            return draining ? (.serviceUnavailable, "text/plain", "DRAINING\n") : (.ok, "text/plain", "LIVE\n")
        case "/stats":
            return (.ok, "text/plain", stats(runtime).map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n")
        case "/stats/prometheus":
            return (.ok, "text/plain; version=0.0.4", prometheus(runtime))
        case "/config_dump":
            return (.ok, "application/json", JSON.emit(ConfigDump.value(runtime.config), indent: 2) + "\n")
        case "/clusters":
            return (.ok, "text/plain", clusters(runtime))
        case "/logging":
            return logging(query: parts.count > 1 ? parts[1] : nil, method: method, log: runtime.log)
        case "/", "/help":
            return (.ok, "text/plain", "admin commands are:\n  /clusters\n  /config_dump\n  /logging\n  /ready\n  /stats\n  /stats/prometheus\n")
        default:
            return (.notFound, "text/plain", "invalid path. admin commands are: /clusters /config_dump /logging /ready /stats /stats/prometheus\n")
        }
    }

    /// Every counter with its Envoy-style name.
    static func stats(_ runtime: ProxyRuntime) -> [(String, Int)] {
        var result = runtime.stats.values.map { ("http.meshctl.\($0.0)", $0.1) }
        for limiter in runtime.rateLimiters { result += limiter.values }
        if let exporter = runtime.tracer?.exporter { result += exporter.values }
        if let authorizer = runtime.listeners.lazy.compactMap(\.authorizer).first {
            result += authorizer.shadowValues.map { ("http.meshctl.\($0.0)", $0.1) }
        }
        for name in runtime.clusters.keys.sorted() {
            guard let cluster = runtime.clusters[name] else { continue }
            result += cluster.stats.values.map { ("cluster.\(name).\($0.0)", $0.1) }
            result.append(("cluster.\(name).membership_total", cluster.endpoints.count))
            result.append(("cluster.\(name).membership_healthy", cluster.endpoints.count - cluster.ejectedCount))
        }
        return result
    }

    static func prometheus(_ runtime: ProxyRuntime) -> String {
        var lines: [String] = []
        for (name, value) in runtime.stats.values {
            let metric = "envoy_http_" + sanitize(name)
            lines.append("# TYPE \(metric) \(name.hasSuffix("_active") ? "gauge" : "counter")")
            lines.append("\(metric){envoy_http_conn_manager_prefix=\"meshctl\"} \(value)")
        }
        var byMetric: [String: [String]] = [:]
        var order: [String] = []
        for name in runtime.clusters.keys.sorted() {
            guard let cluster = runtime.clusters[name] else { continue }
            for (stat, value) in cluster.stats.values {
                let metric = "envoy_cluster_" + sanitize(stat)
                if byMetric[metric] == nil { order.append(metric) }
                byMetric[metric, default: []].append("\(metric){envoy_cluster_name=\"\(escape(name))\"} \(value)")
            }
        }
        for metric in order {
            lines.append("# TYPE \(metric) \(metric.hasSuffix("_active") ? "gauge" : "counter")")
            lines += byMetric[metric] ?? []
        }
        let histogram = "envoy_http_downstream_rq_time"
        lines.append("# TYPE \(histogram) histogram")
        var cumulative = 0
        for (index, bound) in ProxyStats.durationBucketsMillis.enumerated() {
            cumulative += runtime.stats.durationBuckets[index].value.load(ordering: .relaxed)
            lines.append("\(histogram)_bucket{envoy_http_conn_manager_prefix=\"meshctl\",le=\"\(bound)\"} \(cumulative)")
        }
        let total = runtime.stats.downstreamRq2xx.load(ordering: .relaxed) + runtime.stats.downstreamRq3xx.load(ordering: .relaxed)
            + runtime.stats.downstreamRq4xx.load(ordering: .relaxed) + runtime.stats.downstreamRq5xx.load(ordering: .relaxed)
        lines.append("\(histogram)_bucket{envoy_http_conn_manager_prefix=\"meshctl\",le=\"+Inf\"} \(total)")
        let sumMillis = Double(runtime.stats.downstreamRqTimeMicrosTotal.load(ordering: .relaxed)) / 1000
        lines.append("\(histogram)_sum{envoy_http_conn_manager_prefix=\"meshctl\"} \(sumMillis)")
        lines.append("\(histogram)_count{envoy_http_conn_manager_prefix=\"meshctl\"} \(total)")
        lines += runtime.stats.istio.prometheus()
        return lines.joined(separator: "\n") + "\n"
    }

    /// Envoy's `/clusters` text: `cluster::host:port::stat::value`.
    static func clusters(_ runtime: ProxyRuntime) -> String {
        var lines: [String] = []
        for name in runtime.clusters.keys.sorted() {
            guard let cluster = runtime.clusters[name] else { continue }
            cluster.sweepOutliers()
            let limits = cluster.limits
            lines.append("\(name)::default_priority::max_connections::\(limits.maxConnections)")
            lines.append("\(name)::default_priority::max_pending_requests::\(limits.maxPendingRequests)")
            lines.append("\(name)::default_priority::max_requests::\(limits.maxRequests)")
            lines.append("\(name)::default_priority::max_retries::\(limits.maxRetries)")
            for endpoint in cluster.endpoints {
                let prefix = "\(name)::\(endpoint.config.address)"
                lines.append("\(prefix)::rq_active::\(endpoint.activeRequests.load(ordering: .relaxed))")
                let health = endpoint.isEjected ? "/failed_outlier_check" : "healthy"
                lines.append("\(prefix)::health_flags::\(health)")
                lines.append("\(prefix)::weight::\(endpoint.config.weight)")
                if !endpoint.config.labels.isEmpty {
                    let labels = endpoint.config.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    lines.append("\(prefix)::labels::\(labels.joined(separator: ","))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func sanitize(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    private static func escape(_ text: String) -> String {
        String(text.flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] })
    }
}

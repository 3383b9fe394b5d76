import MeshPolicy
import Synchronization

/// Istio's standard metrics (`istio_requests_total`, `istio_request_duration_milliseconds`,
/// `istio_request_bytes`, `istio_response_bytes`, `istio_tcp_*`) with Istio's label names, so existing Istio
/// dashboards and alerts read meshctl's proxy unchanged. One series per distinct label set.
final class IstioMetrics: Sendable {
    /// Istio's labels of a request series, in the order Istio's stats filter emits them.
    struct Labels: Hashable, Sendable {
        var reporter = "destination"
        var sourceWorkload = "unknown"
        var sourceWorkloadNamespace = "unknown"
        var sourcePrincipal = "unknown"
        var sourceApp = "unknown"
        var sourceVersion = "unknown"
        var destinationWorkload = "unknown"
        var destinationWorkloadNamespace = "unknown"
        var destinationPrincipal = "unknown"
        var destinationApp = "unknown"
        var destinationVersion = "unknown"
        var destinationService = "unknown"
        var destinationServiceName = "unknown"
        var destinationServiceNamespace = "unknown"
        var requestProtocol = "http"
        var responseCode = "0"
        var grpcResponseStatus = ""
        var responseFlags = "-"
        var connectionSecurityPolicy = "unknown"

        var pairs: [(String, String)] {
            [
                ("reporter", reporter), ("source_workload", sourceWorkload),
                ("source_workload_namespace", sourceWorkloadNamespace), ("source_principal", sourcePrincipal),
                ("source_app", sourceApp), ("source_version", sourceVersion), ("destination_workload", destinationWorkload),
                ("destination_workload_namespace", destinationWorkloadNamespace),
                ("destination_principal", destinationPrincipal), ("destination_app", destinationApp),
                ("destination_version", destinationVersion), ("destination_service", destinationService),
                ("destination_service_name", destinationServiceName),
                ("destination_service_namespace", destinationServiceNamespace), ("request_protocol", requestProtocol),
                ("response_code", responseCode), ("grpc_response_status", grpcResponseStatus),
                ("response_flags", responseFlags), ("connection_security_policy", connectionSecurityPolicy),
            ]
        }

        /// A listener's own side: an inbound sidecar listener reports as `destination` and fills the destination
        /// workload labels; outbound and gateway listeners report as `source` and fill the source ones.
        static func own(listener: ListenerConfig, workload: Workload, principal: String?) -> Labels {
            var labels = Labels()
            let name = workload.name ?? workload.labels["app"] ?? "unknown"
            let app = workload.labels["app"] ?? workload.labels["app.kubernetes.io/name"] ?? "unknown"
            let version = workload.labels["version"] ?? workload.labels["app.kubernetes.io/version"] ?? "unknown"
            if listener.direction == .inbound && listener.gateway == nil {
                labels.reporter = "destination"
                labels.destinationWorkload = name
                labels.destinationWorkloadNamespace = workload.namespace
                labels.destinationApp = app
                labels.destinationVersion = version
                labels.destinationPrincipal = principal ?? "unknown"
            } else {
                labels.reporter = "source"
                labels.sourceWorkload = name
                labels.sourceWorkloadNamespace = workload.namespace
                labels.sourceApp = app
                labels.sourceVersion = version
                labels.sourcePrincipal = principal ?? "unknown"
            }
            return labels
        }

        /// The destination service labels a host stands for.
        struct DestinationService: Sendable {
            let service: String
            let name: String
            let namespace: String?

            /// `nil` when `host` (`reviews.default.svc.cluster.local`, `reviews:9080`) names no service.
            init?(host: String) {
                let service = String(RouteTable.stripPort(host[...])).lowercased()
                guard !service.isEmpty else { return nil }
                self.service = service
                let parts = service.split(separator: ".")
                name = String(parts[0])
                namespace = parts.count >= 2 && (parts.count == 2 || parts[2] == "svc") ? String(parts[1]) : nil
            }
        }

        /// Sets the destination service labels from a host (`reviews.default.svc.cluster.local`, `reviews:9080`).
        mutating func setDestinationService(_ host: String) {
            if let destination = DestinationService(host: host) { setDestinationService(destination) }
        }

        mutating func setDestinationService(_ destination: DestinationService) {
            destinationService = destination.service
            destinationServiceName = destination.name
            if let namespace = destination.namespace { destinationServiceNamespace = namespace }
        }
    }

    /// Istio's default buckets: milliseconds for durations, bytes for sizes.
    static let durationBuckets: [Double] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000]
    static let sizeBuckets: [Double] = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000]

    /// One request series: its count and three histograms, updated without locks (a handler keeps the series
    /// of its last request and reuses it while the labels stay the same).
    final class RequestSeries: Sendable {
        let labels: Labels
        let count = Atomic<Int>(0)
        /// Durations in microseconds (reported in milliseconds), sizes in bytes.
        let duration = Histogram(bounds: IstioMetrics.durationBuckets, scale: 1000)
        let requestBytes = Histogram(bounds: IstioMetrics.sizeBuckets, scale: 1)
        let responseBytes = Histogram(bounds: IstioMetrics.sizeBuckets, scale: 1)

        init(labels: Labels) { self.labels = labels }

        func record(durationMicros: Int, requestBytes: Int, responseBytes: Int) {
            count.add(1, ordering: .relaxed)
            duration.observe(durationMicros)
            self.requestBytes.observe(requestBytes)
            self.responseBytes.observe(responseBytes)
        }
    }

    /// Bucket counts of integer observations; `scale` observation units make one unit of the bounds.
    final class Histogram: Sendable {
        let bounds: [Double]
        let scale: Int
        let counts: [Counter]
        let sum = Atomic<Int>(0)
        let total = Atomic<Int>(0)

        init(bounds: [Double], scale: Int) {
            self.bounds = bounds
            self.scale = scale
            self.counts = bounds.map { _ in Counter() }
        }

        func observe(_ value: Int) {
            sum.add(value, ordering: .relaxed)
            total.add(1, ordering: .relaxed)
            let scaled = Double(value) / Double(scale)
            if let index = bounds.firstIndex(where: { scaled <= $0 }) { counts[index].value.add(1, ordering: .relaxed) }
        }
    }

    /// One TCP series: bytes each way and connections opened and closed.
    struct TCPSeries {
        var sent = 0
        var received = 0
        var opened = 0
        var closed = 0
    }

    private let requests = Mutex<[Labels: RequestSeries]>([:])

    /// The series of `labels`, made on first use.
    func series(for labels: Labels) -> RequestSeries {
        requests.withLock { series in
            if let existing = series[labels] { return existing }
            let created = RequestSeries(labels: labels)
            series[labels] = created
            return created
        }
    }
    private let tcp = Mutex<[Labels: TCPSeries]>([:])

    func recordTCP(_ labels: Labels, opened: Int = 0, closed: Int = 0, sent: Int = 0, received: Int = 0) {
        tcp.withLock { series in
            var entry = series[labels, default: TCPSeries()]
            entry.opened += opened
            entry.closed += closed
            entry.sent += sent
            entry.received += received
            series[labels] = entry
        }
    }

    /// The Prometheus text of every series.
    func prometheus() -> [String] {
        var lines: [String] = []
        let requestSeries = requests.withLock { $0 }.sorted { Self.key($0.key) < Self.key($1.key) }
        if !requestSeries.isEmpty {
            lines.append("# TYPE istio_requests_total counter")
            for (labels, series) in requestSeries {
                lines.append("istio_requests_total{\(Self.render(labels.pairs))} \(series.count.load(ordering: .relaxed))")
            }
            for (name, pick) in [
                ("istio_request_duration_milliseconds", \RequestSeries.duration), ("istio_request_bytes", \RequestSeries.requestBytes),
                ("istio_response_bytes", \RequestSeries.responseBytes),
            ] {
                lines.append("# TYPE \(name) histogram")
                for (labels, series) in requestSeries { lines += Self.histogram(name, series[keyPath: pick], labels.pairs) }
            }
        }
        let tcpSeries = tcp.withLock { $0 }.sorted { Self.key($0.key) < Self.key($1.key) }
        if !tcpSeries.isEmpty {
            for (name, pick) in [
                ("istio_tcp_sent_bytes_total", \TCPSeries.sent), ("istio_tcp_received_bytes_total", \TCPSeries.received),
                ("istio_tcp_connections_opened_total", \TCPSeries.opened), ("istio_tcp_connections_closed_total", \TCPSeries.closed),
            ] {
                lines.append("# TYPE \(name) counter")
                for (labels, series) in tcpSeries {
                    lines.append("\(name){\(Self.render(Self.tcpPairs(labels)))} \(series[keyPath: pick])")
                }
            }
        }
        return lines
    }

    /// TCP series carry the request labels that make sense for a connection.
    private static func tcpPairs(_ labels: Labels) -> [(String, String)] {
        labels.pairs.filter { !["request_protocol", "response_code", "grpc_response_status"].contains($0.0) }
            + [("request_protocol", "tcp")]
    }

    private static func histogram(_ name: String, _ histogram: Histogram, _ pairs: [(String, String)]) -> [String] {
        let base = render(pairs)
        var lines: [String] = []
        var cumulative = 0
        for (index, bound) in histogram.bounds.enumerated() {
            cumulative += histogram.counts[index].value.load(ordering: .relaxed)
            lines.append("\(name)_bucket{\(base),le=\"\(format(bound))\"} \(cumulative)")
        }
        let total = histogram.total.load(ordering: .relaxed)
        lines.append("\(name)_bucket{\(base),le=\"+Inf\"} \(total)")
        lines.append("\(name)_sum{\(base)} \(format(Double(histogram.sum.load(ordering: .relaxed)) / Double(histogram.scale)))")
        lines.append("\(name)_count{\(base)} \(total)")
        return lines
    }

    private static func render(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    private static func key(_ labels: Labels) -> String { labels.pairs.map(\.1).joined(separator: "\u{1}") }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}

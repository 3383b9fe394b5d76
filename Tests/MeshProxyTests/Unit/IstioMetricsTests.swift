import MeshPolicy
import Testing
@testable import MeshProxy

/// Istio's standard metric names, labels and histogram layout on /stats/prometheus.
@Suite("Istio metrics")
struct IstioMetricsTests {
    static func own(_ workload: Workload) -> PeerMetadata {
        PeerMetadata(own: workload, node: NodeMetadata(), trustDomain: "cluster.local")
    }

    @Test("requests: one series per label set, Istio's label names in order, cumulative histogram buckets")
    func requestSeries() {
        let metrics = IstioMetrics()
        let listener = ListenerConfig(name: "inbound", address: HostPort(host: "127.0.0.1", port: 15006), protocol: .http)
        var labels = IstioMetrics.Labels.own(
            listener: listener, metadata: Self.own(Workload(namespace: "assets", labels: ["app": "asset-api", "version": "v2"])),
            principal: "spiffe://cluster.local/ns/assets/sa/asset-api")
        labels.setDestinationService("asset-api.assets.svc.cluster.local:8080")
        labels.responseCode = "200"
        metrics.series(for: labels).record(durationMicros: 3000, requestBytes: 0, responseBytes: 120)
        metrics.series(for: labels).record(durationMicros: 40_000, requestBytes: 2000, responseBytes: 80)
        labels.responseCode = "503"
        labels.responseFlags = "UF"
        metrics.series(for: labels).record(durationMicros: 1000, requestBytes: 0, responseBytes: 91)
        let text = metrics.prometheus()
        let ok = text.first { $0.hasPrefix("istio_requests_total{") && $0.contains("response_code=\"200\"") }
        #expect(ok == "istio_requests_total{reporter=\"destination\",source_workload=\"unknown\",source_workload_namespace=\"unknown\",source_principal=\"unknown\",source_app=\"unknown\",source_version=\"unknown\",source_canonical_service=\"unknown\",source_canonical_revision=\"latest\",source_cluster=\"unknown\",destination_workload=\"asset-api\",destination_workload_namespace=\"assets\",destination_principal=\"spiffe://cluster.local/ns/assets/sa/asset-api\",destination_app=\"asset-api\",destination_version=\"v2\",destination_service=\"asset-api.assets.svc.cluster.local\",destination_service_name=\"asset-api\",destination_service_namespace=\"assets\",destination_canonical_service=\"asset-api\",destination_canonical_revision=\"v2\",destination_cluster=\"Kubernetes\",request_protocol=\"http\",response_code=\"200\",grpc_response_status=\"\",response_flags=\"-\",connection_security_policy=\"unknown\"} 2")
        #expect(text.contains { $0.hasPrefix("istio_requests_total{") && $0.contains("response_flags=\"UF\"") && $0.hasSuffix("} 1") })
        let buckets = text.filter { $0.hasPrefix("istio_request_duration_milliseconds_bucket{") && $0.contains("response_code=\"200\"") }
        #expect(buckets.first { $0.contains("le=\"5\"") }?.hasSuffix(" 1") == true)
        #expect(buckets.first { $0.contains("le=\"50\"") }?.hasSuffix(" 2") == true)
        #expect(buckets.last?.contains("le=\"+Inf\"") == true)
        #expect(text.contains { $0.hasPrefix("istio_response_bytes_sum{") && $0.contains("response_code=\"200\"") && $0.hasSuffix(" 200") })
        #expect(text.filter { $0.hasPrefix("# TYPE") } == [
            "# TYPE istio_requests_total counter", "# TYPE istio_request_duration_milliseconds histogram",
            "# TYPE istio_request_bytes histogram", "# TYPE istio_response_bytes histogram",
        ])
    }

    @Test("outbound and gateway listeners report as source; TCP series say request_protocol tcp")
    func sourceReporterAndTCP() {
        let outbound = ListenerConfig(
            name: "outbound", address: HostPort(host: "127.0.0.1", port: 15001), protocol: .tcp, direction: .outbound)
        var labels = IstioMetrics.Labels.own(listener: outbound, metadata: Self.own(Workload(namespace: "assets", name: "asset-api")), principal: nil)
        #expect(labels.reporter == "source")
        #expect(labels.source.workload == "asset-api")
        labels.setDestinationService("cassandra.db.svc.cluster.local")
        let metrics = IstioMetrics()
        metrics.recordTCP(labels, opened: 1)
        metrics.recordTCP(labels, closed: 1, sent: 300, received: 120)
        let text = metrics.prometheus()
        #expect(text.contains { $0.hasPrefix("istio_tcp_sent_bytes_total{reporter=\"source\",source_workload=\"asset-api\"") && $0.contains("destination_service_namespace=\"db\"") && $0.contains("request_protocol=\"tcp\"") && $0.hasSuffix("} 300") })
        #expect(text.contains { $0.hasPrefix("istio_tcp_connections_closed_total{") && $0.hasSuffix("} 1") })
        #expect(!text.contains { $0.contains("response_code") && $0.hasPrefix("istio_tcp") })
    }
}

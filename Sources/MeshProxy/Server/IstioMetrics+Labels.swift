extension IstioMetrics {
    /// Istio's labels of a request series, in the order Istio's stats filter emits them.
    struct Labels: Hashable, Sendable {
        /// One side's workload labels: `source_*` or `destination_*`.
        struct Side: Hashable, Sendable {
            var workload = "unknown"
            var namespace = "unknown"
            var principal = "unknown"
            var app = "unknown"
            var version = "unknown"
            var canonicalService = "unknown"
            var canonicalRevision = "latest"
            var cluster = "unknown"

            /// The workload's labels from its metadata (a peer's from the metadata exchange, or our own). The
            /// namespace stays when already known (a peer's mTLS identity names it, and Istio prefers that).
            mutating func set(_ metadata: PeerMetadata) {
                workload = metadata.workloadName ?? "unknown"
                if namespace == "unknown" { namespace = metadata.namespace ?? "unknown" }
                app = metadata.app ?? "unknown"
                version = metadata.version ?? "unknown"
                canonicalService = metadata.canonicalService ?? "unknown"
                canonicalRevision = metadata.canonicalRevision ?? "latest"
                cluster = metadata.clusterID ?? "unknown"
            }

            /// Istio's workload labels of the side named `side` (`source`, `destination`), and its canonical
            /// service and cluster ones.
            func pairs(_ side: String) -> (workload: [(String, String)], service: [(String, String)]) {
                (
                    [("\(side)_workload", workload), ("\(side)_workload_namespace", namespace), ("\(side)_principal", principal),
                     ("\(side)_app", app), ("\(side)_version", version)],
                    [("\(side)_canonical_service", canonicalService), ("\(side)_canonical_revision", canonicalRevision),
                     ("\(side)_cluster", cluster)]
                )
            }
        }

        var reporter = "destination"
        var source = Side()
        var destination = Side()
        var destinationService = "unknown"
        var destinationServiceName = "unknown"
        var destinationServiceNamespace = "unknown"
        var requestProtocol = "http"
        var responseCode = "0"
        var grpcResponseStatus = ""
        var responseFlags = "-"
        var connectionSecurityPolicy = "unknown"

        var pairs: [(String, String)] {
            let source = source.pairs("source")
            let destination = destination.pairs("destination")
            return [("reporter", reporter)] + source.workload + source.service + destination.workload
                + [("destination_service", destinationService), ("destination_service_name", destinationServiceName),
                   ("destination_service_namespace", destinationServiceNamespace)]
                + destination.service
                + [("request_protocol", requestProtocol), ("response_code", responseCode),
                   ("grpc_response_status", grpcResponseStatus), ("response_flags", responseFlags),
                   ("connection_security_policy", connectionSecurityPolicy)]
        }

        /// A listener's own side: an inbound sidecar listener reports as `destination` and fills the destination
        /// workload labels; outbound and gateway listeners report as `source` and fill the source ones.
        static func own(listener: ListenerConfig, metadata: PeerMetadata, principal: String?) -> Labels {
            var labels = Labels()
            let inbound = listener.direction == .inbound && listener.gateway == nil
            labels.reporter = inbound ? "destination" : "source"
            let side: WritableKeyPath<Labels, Side> = inbound ? \.destination : \.source
            labels[keyPath: side].set(metadata)
            labels[keyPath: side].principal = principal ?? "unknown"
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
}

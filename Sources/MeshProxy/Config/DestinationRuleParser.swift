import MeshCore

/// Istio `DestinationRule`: the traffic policy of a host's cluster, and one cluster per subset
/// (`host|subset`) holding the endpoints whose labels match, with the subset's policy over the host's.
enum DestinationRuleParser {
    static func apply(
        _ spec: FieldReader, namespace: String, identity: UpstreamTLSConfig?, to config: inout ProxyConfig
    ) throws(ProxyError) {
        let host = try spec.requiredString("host")
        guard let base = ConfigLoader.clusterName(for: host, namespace: namespace, in: config),
            var cluster = config.clusters[base]
        else {
            throw spec.fail("host", "\(host) names no ServiceEntry or cluster")
        }
        let shorthand = base == ProxyShorthand.clusterName && host != base
        if let policy = try spec.child("trafficPolicy") {
            try applyPolicy(policy, to: &cluster, identity: identity)
        }
        config.clusters[base] = cluster
        for subset in try spec.children("subsets") {
            let name = try subset.requiredString("name")
            let labels = try subset.stringMap("labels")
            var derived = cluster
            derived.name = "\(base)|\(name)"
            if !shorthand {
                derived.endpoints = cluster.endpoints.filter { endpoint in
                    labels.allSatisfy { endpoint.labels[$0.key] == $0.value }
                }
            }
            if let policy = try subset.child("trafficPolicy") {
                try applyPolicy(policy, to: &derived, identity: identity)
            }
            config.clusters[derived.name] = derived
        }
    }

    static func applyPolicy(_ policy: FieldReader, to cluster: inout ClusterConfig, identity: UpstreamTLSConfig?) throws(ProxyError) {
        if let lb = try policy.child("loadBalancer") {
            if let simple = try lb.string("simple") {
                switch simple {
                case "ROUND_ROBIN", "UNSPECIFIED": cluster.loadBalancer = .roundRobin
                case "LEAST_REQUEST", "LEAST_CONN": cluster.loadBalancer = .leastRequest
                case "RANDOM", "PASSTHROUGH": cluster.loadBalancer = .random
                default: throw lb.fail("simple", "unknown policy \(simple)")
                }
            } else if let hash = try lb.child("consistentHash") {
                if let header = try hash.string("httpHeaderName") {
                    cluster.loadBalancer = .consistentHash(.header(header.lowercased()))
                } else if let cookie = try hash.child("httpCookie") {
                    cluster.loadBalancer = .consistentHash(.cookie(try cookie.requiredString("name")))
                } else if try hash.bool("useSourceIp") == true {
                    cluster.loadBalancer = .consistentHash(.sourceIP)
                } else {
                    throw hash.fail("httpHeaderName", "set httpHeaderName, httpCookie or useSourceIp")
                }
            }
        }
        if let pool = try policy.child("connectionPool") {
            if let tcp = try pool.child("tcp") {
                if let value = try tcp.int("maxConnections") { cluster.connectionPool.maxConnections = try positive(value, tcp, "maxConnections") }
                if let value = try tcp.duration("connectTimeout") { cluster.connectionPool.connectTimeout = value }
            }
            if let http = try pool.child("http") {
                if let value = try http.int("http1MaxPendingRequests") {
                    cluster.connectionPool.maxPendingRequests = try positive(value, http, "http1MaxPendingRequests")
                }
                if let value = try http.int("http2MaxRequests") { cluster.connectionPool.maxRequests = try positive(value, http, "http2MaxRequests") }
                if let value = try http.int("maxRequestsPerConnection") { cluster.connectionPool.maxRequestsPerConnection = max(0, value) }
                if let value = try http.int("maxRetries") { cluster.connectionPool.maxRetries = max(0, value) }
                if let value = try http.duration("idleTimeout") { cluster.connectionPool.idleTimeout = value }
                switch try http.string("h2UpgradePolicy") {
                case "UPGRADE": cluster.http2 = true
                case "DO_NOT_UPGRADE": cluster.http2 = false
                case nil, "DEFAULT": break
                case let other?: throw http.fail("h2UpgradePolicy", "expected DEFAULT, DO_NOT_UPGRADE or UPGRADE, not \(other)")
                }
            }
        }
        if let outlier = try policy.child("outlierDetection") {
            var detection = OutlierDetectionConfig()
            if let value = try outlier.int("consecutive5xxErrors") {
                detection.consecutive5xxErrors = max(0, value)
            } else if let value = try outlier.int("consecutiveErrors") {
                detection.consecutive5xxErrors = max(0, value)
            }
            if let value = try outlier.int("consecutiveGatewayErrors") { detection.consecutiveGatewayErrors = max(0, value) }
            if let value = try outlier.duration("baseEjectionTime") { detection.baseEjectionTime = value }
            if let value = try outlier.duration("interval") { detection.interval = value }
            if let value = try outlier.int("maxEjectionPercent") {
                guard (0...100).contains(value) else { throw outlier.fail("maxEjectionPercent", "must be 0 to 100") }
                detection.maxEjectionPercent = value
            }
            cluster.outlierDetection = detection
        }
        if let tls = try policy.child("tls") {
            cluster.tlsFromDestinationRule = true
            let mode = try tls.string("mode") ?? "DISABLE"
            switch mode {
            case "DISABLE": cluster.tls = nil
            case "SIMPLE", "MUTUAL":
                var settings = try BootstrapParser.upstreamTLS(tls)
                if mode == "SIMPLE" {
                    settings.certificateFile = nil
                    settings.keyFile = nil
                } else if settings.certificateFile == nil || settings.keyFile == nil {
                    throw tls.fail("clientCertificate", "MUTUAL needs clientCertificate and privateKey")
                }
                cluster.tls = settings
            case "ISTIO_MUTUAL":
                guard var settings = identity else {
                    throw tls.fail("mode", "ISTIO_MUTUAL needs the workload identity (ProxyBootstrap spec.identity)")
                }
                settings.sni = try tls.string("sni")
                settings.subjectAltNames = try tls.strings("subjectAltNames")
                cluster.tls = settings
            default:
                throw tls.fail("mode", "expected DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL")
            }
        }
    }

    private static func positive(_ value: Int, _ reader: FieldReader, _ key: String) throws(ProxyError) -> Int {
        guard value > 0 else { throw reader.fail(key, "must be positive") }
        return value
    }
}

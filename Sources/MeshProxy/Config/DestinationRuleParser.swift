import MeshPolicy

/// Istio `DestinationRule`: the traffic policy of a host's cluster, and one cluster per subset
/// (`host|subset`) holding the endpoints whose labels match, with the subset's policy over the host's.
enum DestinationRuleParser {
    static func apply(
        _ rule: IstioResource<DestinationRuleSpec>, identity: UpstreamTLSConfig?, to config: inout ProxyConfig
    ) throws(ProxyError) {
        let field = rule.field
        guard let host = rule.spec.host, !host.isEmpty else { throw field.at("host").fail("required") }
        guard let base = ConfigLoader.clusterName(for: host, namespace: rule.namespace, in: config),
            var cluster = config.clusters[base]
        else {
            throw field.at("host").fail("\(host) names no ServiceEntry or cluster")
        }
        let shorthand = base == ProxyShorthand.clusterName && host != base
        if let policy = rule.spec.trafficPolicy {
            try apply(policy, field: field.at("trafficPolicy"), to: &cluster, identity: identity)
        }
        config.clusters[base] = cluster
        for (index, subset) in (rule.spec.subsets ?? []).enumerated() {
            let at = field.at("subsets")[index]
            guard let name = subset.name, !name.isEmpty else { throw at.at("name").fail("required") }
            let labels = subset.labels ?? [:]
            var derived = cluster
            derived.name = "\(base)|\(name)"
            if !shorthand {
                derived.endpoints = cluster.endpoints.filter { endpoint in
                    labels.allSatisfy { endpoint.labels[$0.key] == $0.value }
                }
            }
            if let policy = subset.trafficPolicy {
                try apply(policy, field: at.at("trafficPolicy"), to: &derived, identity: identity)
            }
            config.clusters[derived.name] = derived
        }
    }

    static func apply(
        _ policy: TrafficPolicy, field: FieldPath, to cluster: inout ClusterConfig, identity: UpstreamTLSConfig?
    ) throws(ProxyError) {
        if let balancer = policy.loadBalancer {
            try loadBalancer(balancer, field: field.at("loadBalancer")).map { cluster.loadBalancer = $0 }
        }
        if let tcp = policy.connectionPool?.tcp {
            let at = field.at("connectionPool").at("tcp")
            if let value = tcp.maxConnections { cluster.connectionPool.maxConnections = try positive(value, at.at("maxConnections")) }
            if let value = try at.at("connectTimeout").duration(tcp.connectTimeout) { cluster.connectionPool.connectTimeout = value }
        }
        if let http = policy.connectionPool?.http {
            try apply(http, field: field.at("connectionPool").at("http"), to: &cluster)
        }
        if let outlier = policy.outlierDetection {
            cluster.outlierDetection = try outlierDetection(outlier, field: field.at("outlierDetection"))
        }
        if let tls = policy.tls {
            cluster.tlsFromDestinationRule = true
            cluster.tls = try origination(tls, field: field.at("tls"), identity: identity, serviceAccounts: cluster.serviceAccountSANs)
        }
    }

    /// The policy of `loadBalancer`; `nil` when it names none (Envoy's default stays).
    private static func loadBalancer(_ balancer: LoadBalancerSettings, field: FieldPath) throws(ProxyError) -> LoadBalancerPolicy? {
        if let simple = balancer.simple {
            switch simple {
            case "ROUND_ROBIN", "UNSPECIFIED": return .roundRobin
            case "LEAST_REQUEST", "LEAST_CONN": return .leastRequest
            case "RANDOM", "PASSTHROUGH": return .random
            default: throw field.at("simple").fail("unknown policy \(simple)")
            }
        }
        guard let hash = balancer.consistentHash else { return nil }
        if let header = hash.httpHeaderName { return .consistentHash(.header(header.lowercased())) }
        if let cookie = hash.httpCookie {
            let at = field.at("consistentHash").at("httpCookie")
            guard let name = cookie.name, !name.isEmpty else { throw at.at("name").fail("required") }
            let ttl = try at.at("ttl").duration(cookie.ttl)
            return .consistentHash(.cookie(.init(name: name, path: cookie.path, ttl: ttl)))
        }
        if hash.useSourceIp == true { return .consistentHash(.sourceIP) }
        throw field.at("consistentHash").at("httpHeaderName").fail("set httpHeaderName, httpCookie or useSourceIp")
    }

    private static func apply(_ http: ConnectionPoolSettings.HTTP, field: FieldPath, to cluster: inout ClusterConfig) throws(ProxyError) {
        if let value = http.http1MaxPendingRequests {
            cluster.connectionPool.maxPendingRequests = try positive(value, field.at("http1MaxPendingRequests"))
        }
        if let value = http.http2MaxRequests { cluster.connectionPool.maxRequests = try positive(value, field.at("http2MaxRequests")) }
        if let value = http.maxRequestsPerConnection { cluster.connectionPool.maxRequestsPerConnection = max(0, value) }
        // Istio leaves Envoy's retry circuit breaker unlimited unless maxRetries is positive.
        if let value = http.maxRetries, value > 0 { cluster.connectionPool.maxRetries = value }
        if let value = try field.at("idleTimeout").duration(http.idleTimeout) { cluster.connectionPool.idleTimeout = value }
        switch http.h2UpgradePolicy {
        case "UPGRADE": cluster.http2 = true
        case "DO_NOT_UPGRADE": cluster.http2 = false
        case nil, "DEFAULT": break
        case let other?: throw field.at("h2UpgradePolicy").fail("expected DEFAULT, DO_NOT_UPGRADE or UPGRADE, not \(other)")
        }
    }

    private static func outlierDetection(_ outlier: OutlierDetection, field: FieldPath) throws(ProxyError) -> OutlierDetectionConfig {
        var detection = OutlierDetectionConfig()
        // Istio maps the deprecated consecutiveErrors to gateway errors only (502, 503, 504).
        if let value = outlier.consecutiveErrors, value > 0 {
            detection.consecutiveGatewayErrors = value
            detection.consecutive5xxErrors = 0
        }
        if let value = outlier.consecutive5xxErrors { detection.consecutive5xxErrors = max(0, value) }
        if let value = outlier.consecutiveGatewayErrors { detection.consecutiveGatewayErrors = max(0, value) }
        if let value = try field.at("baseEjectionTime").duration(outlier.baseEjectionTime) { detection.baseEjectionTime = value }
        if let value = try field.at("interval").duration(outlier.interval) { detection.interval = value }
        if let value = outlier.maxEjectionPercent {
            guard (0...100).contains(value) else { throw field.at("maxEjectionPercent").fail("must be 0 to 100") }
            detection.maxEjectionPercent = value
        }
        return detection
    }

    /// The TLS a cluster originates under `tls`; `nil` for DISABLE. ISTIO_MUTUAL without `subjectAltNames`
    /// accepts the host's `serviceAccounts`, as Istio does.
    private static func origination(
        _ tls: ClientTLSSettings, field: FieldPath, identity: UpstreamTLSConfig?, serviceAccounts: [String]
    ) throws(ProxyError) -> UpstreamTLSConfig? {
        let mode = tls.mode ?? "DISABLE"
        switch mode {
        case "DISABLE":
            return nil
        case "SIMPLE":
            return UpstreamTLSConfig(caFile: tls.caCertificates, sni: tls.sni, subjectAltNames: tls.subjectAltNames ?? [])
        case "MUTUAL":
            guard let certificate = tls.clientCertificate, let key = tls.privateKey else {
                throw field.at("clientCertificate").fail("MUTUAL needs clientCertificate and privateKey")
            }
            return UpstreamTLSConfig(
                caFile: tls.caCertificates, certificateFile: certificate, keyFile: key, sni: tls.sni,
                subjectAltNames: tls.subjectAltNames ?? [])
        case "ISTIO_MUTUAL":
            guard var settings = identity else {
                throw field.at("mode").fail("ISTIO_MUTUAL needs the workload identity (ProxyBootstrap spec.identity)")
            }
            settings.sni = tls.sni
            settings.subjectAltNames = tls.subjectAltNames ?? serviceAccounts
            return settings
        default:
            throw field.at("mode").fail("expected DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL")
        }
    }

    private static func positive(_ value: Int, _ field: FieldPath) throws(ProxyError) -> Int {
        guard value > 0 else { throw field.fail("must be positive") }
        return value
    }
}

import MeshCore

/// The effective configuration as a JSON value for `/config_dump`.
enum ConfigDump {
    static func value(_ config: ProxyConfig) -> Value {
        var listeners: [Value] = []
        for listener in config.listeners {
            var item: Value = [
                "name": .string(listener.name),
                "address": .string("\(listener.address)"),
                "protocol": .string(listener.protocol.rawValue),
            ]
            if let cluster = listener.defaultCluster { item["cluster"] = .string(cluster) }
            if let gateway = listener.gateway {
                item["gateways"] = .array(gateway.gateways.sorted().map(Value.string))
                item["hosts"] = .array(gateway.hosts.map { host in
                    .string("\(host.namespace ?? "*")/\(host.host)\(host.httpsRedirect ? " (https redirect)" : "")")
                })
            }
            if let routes = listener.sniRoutes {
                item["sniRoutes"] = .array(routes.entries.map { entry in
                    [
                        "route": .string(entry.name), "hosts": .array(entry.hosts.map(Value.string)),
                        "destinations": .array(entry.destinations.map { .string("\($0.cluster) (\($0.weight))") }),
                    ]
                })
            }
            if let tls = listener.tls {
                var value: Value = ["certificate": .string(tls.certificateFile)]
                if let ca = tls.clientCAFile { value["clientCA"] = .string(ca) }
                if !tls.allowedClientSANs.isEmpty { value["allowedSANs"] = .array(tls.allowedClientSANs.map(Value.string)) }
                item["tls"] = value
            }
            listeners.append(item)
        }
        var clusters: [Value] = []
        for name in config.clusters.keys.sorted() {
            guard let cluster = config.clusters[name] else { continue }
            var item: Value = [
                "name": .string(name),
                "endpoints": .array(cluster.endpoints.map { endpoint in
                    var value: Value = ["address": .string("\(endpoint.address)")]
                    if !endpoint.labels.isEmpty {
                        value["labels"] = .object(.init(endpoint.labels.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
                    }
                    return value
                }),
                "loadBalancer": .string(String(describing: cluster.loadBalancer)),
                "http2": .bool(cluster.http2),
                "connectionPool": [
                    "maxConnections": .int(cluster.connectionPool.maxConnections),
                    "maxPendingRequests": .int(cluster.connectionPool.maxPendingRequests),
                    "maxRequests": .int(cluster.connectionPool.maxRequests),
                    "maxRequestsPerConnection": .int(cluster.connectionPool.maxRequestsPerConnection),
                    "maxRetries": .int(cluster.connectionPool.maxRetries),
                ],
            ]
            if let outlier = cluster.outlierDetection {
                item["outlierDetection"] = [
                    "consecutive5xxErrors": .int(outlier.consecutive5xxErrors),
                    "consecutiveGatewayErrors": .int(outlier.consecutiveGatewayErrors),
                    "interval": .string("\(outlier.interval)"),
                    "baseEjectionTime": .string("\(outlier.baseEjectionTime)"),
                    "maxEjectionTime": .string("\(outlier.maxEjectionTime)"),
                    "maxEjectionPercent": .int(outlier.maxEjectionPercent),
                ]
            }
            if let tls = cluster.tls {
                var value: Value = [:]
                if let sni = tls.sni { value["sni"] = .string(sni) }
                if let ca = tls.caFile { value["ca"] = .string(ca) }
                if let certificate = tls.certificateFile { value["certificate"] = .string(certificate) }
                if !tls.subjectAltNames.isEmpty { value["subjectAltNames"] = .array(tls.subjectAltNames.map(Value.string)) }
                item["tls"] = value
            }
            clusters.append(item)
        }
        let routes: [Value] = config.routes.virtualHosts.map { host in
            [
                "name": .string(host.name),
                "domains": .array(host.domains.map(Value.string)),
                "routes": .array(host.routes.map { rule in
                    var value: Value = ["name": .string(rule.name), "matches": .int(rule.matches.count)]
                    switch rule.action {
                    case .route(let destinations):
                        value["route"] = .array(destinations.map { ["cluster": .string($0.cluster), "weight": .int($0.weight)] })
                    case .redirect(let redirect):
                        value["redirect"] = ["status": .int(redirect.status)]
                    case .directResponse(let status, _):
                        value["directResponse"] = ["status": .int(status)]
                    }
                    if let timeout = rule.timeout { value["timeout"] = .string("\(timeout)") }
                    value["retries"] = .int(rule.retries.attempts)
                    return value
                }),
            ]
        }
        var dump: Value = [
            "role": .string(config.role),
            "listeners": .array(listeners),
            "clusters": .array(clusters),
            "routes": .array(routes),
        ]
        if let admin = config.admin { dump["admin"] = .string("\(admin)") }
        return dump
    }
}

import MeshCore

/// `protoToJSON` of a ProxyConfig as Istio writes it into `PROXY_CONFIG`: compact protobuf JSON in field-number
/// order, with the fields that equal the built-in defaults (or the proto zero value) left out.
enum ProxyConfigJSON {
    /// ProxyConfig's JSON names in protobuf field-number order; unknown fields follow, sorted.
    static let fieldOrder = [
        "configPath", "binaryPath", "serviceCluster", "drainDuration", "parentShutdownDuration", "discoveryAddress",
        "discoveryRefreshDelay", "zipkinAddress", "connectTimeout", "statsdUdpAddress", "envoyMetricsServiceAddress",
        "proxyAdminPort", "availabilityZone", "controlPlaneAuthPolicy", "customConfigFile", "statNameLength",
        "concurrency", "proxyBootstrapTemplatePath", "interceptionMode", "tracing", "sds", "envoyAccessLogService",
        "envoyMetricsService", "proxyMetadata", "statusPort", "extraStatTags", "gatewayTopology",
        "terminationDrainDuration", "meshId", "readinessProbe", "proxyStatsMatcher",
        "holdApplicationUntilProxyStarts", "caCertificatesPem", "image", "privateKeyProvider", "proxyHeaders",
        "fileFlushInterval", "fileFlushMinSizeKb", "serviceAccountTokenPath",
    ]

    /// Defaults that `cleanProxyConfig` drops when equal.
    static let defaults: [String: Value] = [
        "configPath": "./etc/istio/proxy",
        "binaryPath": "/usr/local/bin/envoy",
        "serviceCluster": "istio-proxy",
        "drainDuration": "45s",
        "terminationDrainDuration": "5s",
        "discoveryAddress": "istiod.istio-system.svc:15012",
        "proxyAdminPort": 15000,
        "statNameLength": 189,
        "statusPort": 15020,
        "controlPlaneAuthPolicy": "MUTUAL_TLS",
        "interceptionMode": "REDIRECT",
    ]

    /// Wrapper-typed fields: written even when zero.
    static let wrappers: Set<String> = ["concurrency", "holdApplicationUntilProxyStarts"]

    static func encode(_ value: Value) -> String {
        guard case .object(let object) = value else { return "{}" }
        var ordered = Value.Object()
        let known = Set(fieldOrder)
        let keys = fieldOrder.filter { object[$0] != nil } + object.keys.filter { !known.contains($0) }.sorted()
        for key in keys {
            guard let item = object[key], !item.isNull else { continue }
            if let fallback = defaults[key], fallback == item { continue }
            if !wrappers.contains(key) && !GoTruth.isTrue(item) && item.objectValue == nil { continue }
            ordered[key] = sortedMaps(item)
        }
        return JSON.emit(.object(ordered))
    }

    private static func sortedMaps(_ value: Value) -> Value {
        switch value {
        case .object(let object):
            return .object(Value.Object(object.keys.sorted(by: GoFormat.goLess).map { ($0, sortedMaps(object[$0]!)) }))
        case .array(let items): return .array(items.map(sortedMaps))
        default: return value
        }
    }
}

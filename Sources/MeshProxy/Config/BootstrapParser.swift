import MeshCore
import MeshPolicy

/// The `ProxyBootstrap` document: role, admin, listeners, static clusters, workload identity, limits.
enum BootstrapParser {
    /// Applies the bootstrap and returns the workload identity (for `ISTIO_MUTUAL`), if one is given.
    static func apply(_ spec: FieldReader, to config: inout ProxyConfig) throws(ProxyError) -> UpstreamTLSConfig? {
        if let role = try spec.string("role") {
            guard role == "sidecar" || role == "gateway" else { throw spec.fail("role", "expected sidecar or gateway") }
            config.role = role
        }
        config.admin = try spec.hostPort("admin")
        config.accessLog = try AccessLogConfig.parse(spec)
        if let limits = try spec.child("limits") {
            if let value = try limits.duration("idleTimeout") { config.limits.idleTimeout = value }
            if let value = try limits.duration("headerTimeout") { config.limits.headerTimeout = value }
            if let value = try limits.duration("connectTimeout") { config.limits.connectTimeout = value }
            if let value = try limits.duration("drainTimeout") { config.limits.drainTimeout = value }
            if let value = try limits.int("retryBufferBytes") { config.limits.retryBufferBytes = value }
            if let value = try limits.int("maxRequestBodyBytes") {
                guard value >= 0 else { throw limits.fail("maxRequestBodyBytes", "expected 0 or more bytes") }
                config.limits.maxRequestBodyBytes = value
            }
            if let value = try limits.int("maxHeaderBytes") {
                guard HTTPLimits.headerBytesRange.contains(value) else {
                    throw limits.fail(
                        "maxHeaderBytes",
                        "expected \(HTTPLimits.headerBytesRange.lowerBound) to \(HTTPLimits.headerBytesRange.upperBound) (the HTTP/1.1 parser's own cap)")
                }
                config.limits.maxHeaderBytes = value
            }
            if let value = try limits.int("maxHeaderCount") {
                guard (1...10_000).contains(value) else { throw limits.fail("maxHeaderCount", "expected 1 to 10000") }
                config.limits.maxHeaderCount = value
            }
        }
        var identity: UpstreamTLSConfig?
        if let id = try spec.child("identity") {
            identity = UpstreamTLSConfig(
                caFile: try id.string("ca"), certificateFile: try id.requiredString("certificate"),
                keyFile: try id.requiredString("key"))
            config.security.identity = identity
        }
        if let workload = try spec.child("workload") {
            config.security.workload = Workload(
                namespace: try workload.string("namespace") ?? "default", labels: try workload.stringMap("labels"),
                name: try workload.string("name"))
            config.node.instanceName = try workload.string("instance")
            config.node.serviceAccount = try workload.string("serviceAccount")
            config.node.clusterID = try workload.string("cluster") ?? config.node.clusterID
            config.node.meshID = try workload.string("mesh")
        }
        if let root = try spec.string("rootNamespace") { config.security.rootNamespace = root }
        if let fetch = try spec.child("jwksFetch") { try applyJWKSFetch(fetch, to: &config.security.jwksFetch) }
        if let mesh = try spec.child("meshConfig") {
            try ExtensionProviderParser.apply(mesh, to: &config.security)
            if let topology = try mesh.child("defaultConfig")?.child("gatewayTopology"), let hops = try topology.int("numTrustedProxies") {
                guard hops >= 0 else { throw topology.fail("numTrustedProxies", "must not be negative") }
                config.gateway.numTrustedProxies = hops
            }
        }
        for cluster in try spec.children("clusters") {
            let name = try cluster.requiredString("name").lowercased()
            var endpoints: [EndpointConfig] = []
            for endpoint in try cluster.children("endpoints") {
                guard let address = try endpoint.hostPort("address") else { throw endpoint.fail("address", "required") }
                endpoints.append(EndpointConfig(
                    address: address, labels: try endpoint.stringMap("labels"), weight: try endpoint.int("weight") ?? 1))
            }
            guard !endpoints.isEmpty else { throw cluster.fail("endpoints", "at least one endpoint is required") }
            let tls = try cluster.child("tls").map { tls throws(ProxyError) in try upstreamTLS(tls) }
            config.clusters[name] = ClusterConfig(name: name, endpoints: endpoints, tls: tls)
        }
        for listener in try spec.children("listeners") {
            let name = try listener.requiredString("name")
            guard let address = try listener.hostPort("address") else { throw listener.fail("address", "required") }
            let protocolName = try listener.string("protocol") ?? "http"
            guard let kind = ListenerConfig.ListenerProtocol(rawValue: protocolName) else {
                throw listener.fail("protocol", "expected http or tcp")
            }
            var cluster = try listener.string("cluster")?.lowercased()
            if let upstream = try listener.hostPort("upstream") {
                let clusterName = "\(name)-upstream"
                config.clusters[clusterName] = ClusterConfig(name: clusterName, endpoints: [EndpointConfig(address: upstream)])
                cluster = clusterName
            }
            if kind == .tcp && cluster == nil { throw listener.fail("cluster", "a tcp listener needs cluster or upstream") }
            var serverTLS: ServerTLSConfig?
            if let tls = try listener.child("tls") {
                serverTLS = ServerTLSConfig(
                    certificateFile: try tls.requiredString("certificate"), keyFile: try tls.requiredString("key"),
                    clientCAFile: try tls.string("clientCA"), allowedClientSANs: try tls.strings("allowedSANs"))
            }
            let directionName = try listener.string("direction") ?? "inbound"
            guard let direction = ListenerConfig.Direction(rawValue: directionName) else {
                throw listener.fail("direction", "expected inbound or outbound")
            }
            var bandwidth: BandwidthLimit?
            if let limits = try listener.child("bandwidth") {
                guard kind == .tcp else { throw listener.fail("bandwidth", "bandwidth limits apply to tcp listeners") }
                bandwidth = BandwidthLimit(
                    perConnection: try byteRate(limits, "perConnection"), perListener: try byteRate(limits, "perListener"))
            }
            let targetPort = try listener.int("targetPort")
            if let targetPort, !(1...65535).contains(targetPort) { throw listener.fail("targetPort", "must be in 1..65535") }
            var parsed = ListenerConfig(
                name: name, address: address, protocol: kind, tls: serverTLS, defaultCluster: cluster, direction: direction,
                targetPort: targetPort)
            parsed.bandwidth = bandwidth
            config.listeners.append(parsed)
        }
        if let gateway = try spec.child("gateway") { try applyGateway(gateway, to: &config) }
        config.rateLimits += try RateLimitParser.bootstrap(spec.children("rateLimits"))
        if let tracing = try spec.child("tracing") { try TracingParser.bootstrap(tracing, to: &config.tracing) }
        if let auto = try spec.bool("autoMtls") { config.autoMTLS = auto }
        if let domain = try spec.string("trustDomain") { config.trustDomain = domain }
        // A gateway's listeners may all come from Gateway resources.
        guard !config.listeners.isEmpty || config.role == "gateway" else {
            throw spec.fail("listeners", "at least one listener is required")
        }
        return identity
    }

    /// `spec.jwksFetch`: `refreshInterval`, `maxStaleness`, `retryBase`, `retryMax` (durations) and `ca` (PEM
    /// file HTTPS JWKS servers are verified against instead of the system roots).
    static func applyJWKSFetch(_ fetch: FieldReader, to config: inout JWKSFetchConfig) throws(ProxyError) {
        for (key, path) in [("refreshInterval", \JWKSFetchConfig.refreshInterval), ("maxStaleness", \.maxStaleness),
                            ("retryBase", \.retryBase), ("retryMax", \.retryMax)] {
            guard let value = try fetch.duration(key) else { continue }
            guard value > .zero else { throw fetch.fail(key, "must be positive") }
            config[keyPath: path] = value
        }
        guard config.maxStaleness >= config.refreshInterval else {
            throw fetch.fail("maxStaleness", "must not be shorter than refreshInterval")
        }
        config.caFile = try fetch.string("ca") ?? config.caFile
    }

    /// `spec.gateway`: where Gateway servers bind (`bind`, `ports` mapping server ports to bound ones) and the
    /// certificates their `credentialName`s refer to (`credentials`).
    static func applyGateway(_ gateway: FieldReader, to config: inout ProxyConfig) throws(ProxyError) {
        if let bind = try gateway.string("bind") { config.gateway.bindHost = bind }
        for (key, value) in try gateway.stringMap("ports") {
            guard let from = Int(key), (1...65535).contains(from), let to = Int(value), (0...65535).contains(to) else {
                throw gateway.fail("ports", "expected server port: bound port (\(key): \(value))")
            }
            config.gateway.portMap[from] = to
        }
        for credential in try gateway.children("credentials") {
            config.gateway.credentials[try credential.requiredString("name")] = ServerTLSConfig(
                certificateFile: try credential.requiredString("certificate"), keyFile: try credential.requiredString("key"),
                clientCAFile: try credential.string("ca"))
        }
    }

    /// A bytes-per-second rate: a number of bytes, or a quantity such as `512Ki`, `10Mi`, `1G`.
    static func byteRate(_ reader: FieldReader, _ key: String) throws(ProxyError) -> Int? {
        guard reader.has(key) else { return nil }
        let text: String
        if let number = try? reader.int(key) {
            text = String(number)
        } else {
            text = try reader.string(key) ?? ""
        }
        let units: [(String, Int)] = [("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Int(text.dropLast(suffix.count)), number > 0 { return number * factor }
        }
        guard let bytes = Int(text), bytes > 0 else {
            throw reader.fail(key, "expected bytes per second, such as 1048576 or 1Mi (Ki, Mi, Gi, k, M, G)")
        }
        return bytes
    }

    static func upstreamTLS(_ tls: FieldReader) throws(ProxyError) -> UpstreamTLSConfig {
        func either(_ first: String, _ second: String) throws(ProxyError) -> String? {
            if let value = try tls.string(first) { return value }
            return try tls.string(second)
        }
        return UpstreamTLSConfig(
            caFile: try either("ca", "caCertificates"),
            certificateFile: try either("certificate", "clientCertificate"),
            keyFile: try either("key", "privateKey"),
            sni: try tls.string("sni"), subjectAltNames: try tls.strings("subjectAltNames"))
    }
}

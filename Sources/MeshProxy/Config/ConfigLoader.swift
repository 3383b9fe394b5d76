import MeshCore
import MeshPolicy

/// Builds a `ProxyConfig` from YAML documents — a `ProxyBootstrap` of our own plus Istio resources — and/or the
/// shorthand flags. Pure: file reading is the caller's job. `ServiceEntry`, `DestinationRule`, `VirtualService`
/// and `Gateway` are decoded once into MeshPolicy's typed specs (`IstioResource`); kinds MeshPolicy does not
/// model (`ProxyBootstrap`, `EnvoyFilter`, `Telemetry`) are read field by field (`FieldReader`).
public enum ConfigLoader {
    /// Builds the config; throws `ProxyError` (exit 65) naming the resource and field of the first problem.
    public static func load(documents: [Value], shorthand: ProxyShorthand? = nil) throws(ProxyError) -> ProxyConfig {
        var config = ProxyConfig()
        var serviceEntries: [IstioResource<ServiceEntrySpec>] = []
        var destinationRules: [IstioResource<DestinationRuleSpec>] = []
        var virtualServices: [IstioResource<VirtualServiceSpec>] = []
        var gateways: [IstioResource<GatewaySpec>] = []
        var envoyFilters: [FieldReader] = []
        var telemetries: [(String, FieldReader)] = []
        var sawBootstrap = false
        var identity: UpstreamTLSConfig?
        for (index, document) in documents.enumerated() where !document.isNull {
            guard let kind = document["kind"]?.stringValue else {
                throw ProxyError(.invalidConfig, "document \(index + 1): missing kind")
            }
            let name = document["metadata"]?["name"]?.stringValue ?? "document \(index + 1)"
            let namespace = document["metadata"]?["namespace"]?.stringValue
            let label = "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
            func spec() throws(ProxyError) -> FieldReader {
                try FieldReader(resource: label, path: "spec", value: document["spec"] ?? [:])
            }
            switch kind {
            case "ProxyBootstrap":
                guard !sawBootstrap else { throw ProxyError(.invalidConfig, "\(label): only one ProxyBootstrap is allowed") }
                sawBootstrap = true
                identity = try BootstrapParser.apply(spec(), to: &config)
            case "ServiceEntry": serviceEntries.append(try IstioResource(.serviceEntry, document, label: label))
            case "DestinationRule": destinationRules.append(try IstioResource(.destinationRule, document, label: label))
            case "VirtualService": virtualServices.append(try IstioResource(.virtualService, document, label: label))
            case "PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication":
                try SecurityParser.apply(document, label: label, to: &config.security)
            case "Gateway": gateways.append(try IstioResource(.gateway, document, label: label))
            case "EnvoyFilter": envoyFilters.append(try spec())
            case "Telemetry": telemetries.append((namespace ?? "default", try spec()))
            case "Sidecar":
                continue  // accepted; enforced in later parts
            default:
                throw ProxyError(.invalidConfig, "\(label): unsupported kind (expected ProxyBootstrap, ServiceEntry, DestinationRule, VirtualService, Gateway, PeerAuthentication, RequestAuthentication, AuthorizationPolicy, EnvoyFilter, Telemetry, Sidecar)")
            }
        }
        if let shorthand {
            applyShorthand(shorthand, to: &config)
        } else if !sawBootstrap {
            throw ProxyError(.invalidConfig, "no listener: give a ProxyBootstrap document or --listen and --upstream")
        }
        let autoIdentity = config.autoMTLS ? identity : nil
        for entry in serviceEntries {
            try ServiceEntryParser.apply(entry, identity: autoIdentity, trustDomain: config.trustDomain, to: &config)
        }
        ExtensionProviderParser.resolve(&config)
        for rule in destinationRules {
            try DestinationRuleParser.apply(rule, identity: identity, to: &config)
        }
        for service in virtualServices {
            try VirtualServiceParser.apply(service, to: &config)
        }
        if config.role == "gateway" { try GatewayParser.apply(gateways, to: &config) }
        let workload = (namespace: config.security.workload.namespace, labels: config.security.workload.labels)
        var telemetry: [(rank: Int, apply: (inout TracingConfig) -> Void)] = []
        for (namespace, spec) in telemetries {
            if let applies = try TracingParser.telemetry(
                spec, namespace: namespace, workload: workload, rootNamespace: config.security.rootNamespace)
            {
                telemetry.append(applies)
            }
        }
        for entry in telemetry.sorted(by: { $0.rank < $1.rank }) { entry.apply(&config.tracing) }
        for spec in envoyFilters {
            config.rateLimits += try RateLimitParser.envoyFilter(spec, workloadLabels: config.security.workload.labels)
        }
        guard !config.listeners.isEmpty else {
            throw ProxyError(.invalidConfig, "no listener: no Gateway selects this gateway workload and the bootstrap lists none")
        }
        try SecurityParser.check(&config)
        for listener in config.listeners {
            if let cluster = listener.defaultCluster, config.clusters[cluster] == nil {
                throw ProxyError(.invalidConfig, "listener \(listener.name): cluster \(cluster) is not defined")
            }
        }
        return config
    }

    static func applyShorthand(_ shorthand: ProxyShorthand, to config: inout ProxyConfig) {
        let name = ProxyShorthand.clusterName
        config.clusters[name] = ClusterConfig(
            name: name, endpoints: [EndpointConfig(address: shorthand.upstream)], tls: shorthand.upstreamTLS)
        config.listeners.append(
            ListenerConfig(
                name: "main", address: shorthand.listen, protocol: shorthand.protocol, tls: shorthand.tls,
                defaultCluster: name))
    }

    /// The cluster a host names: the exact name, a short name of it (`reviews` ↔ `reviews.default.svc…`), or
    /// the shorthand upstream when there is one.
    static func clusterName(for host: String, namespace: String, in config: ProxyConfig) -> String? {
        let host = host.lowercased()
        if config.clusters[host] != nil { return host }
        let candidates = ["\(host).\(namespace).svc.cluster.local", "\(host).\(namespace)", "\(host).\(namespace).svc"]
        for candidate in candidates where config.clusters[candidate] != nil { return candidate }
        if let match = config.clusters.keys.sorted().first(where: { !$0.contains("|") && RouteTable.shortNameMatches(domain: $0, host: host) }) {
            return match
        }
        if config.clusters[ProxyShorthand.clusterName] != nil { return ProxyShorthand.clusterName }
        return nil
    }
}

import MeshPolicy

/// ProxyBootstrap `spec.meshConfig.extensionProviders`: Istio MeshConfig's list, of which the proxy uses the
/// external authorizers (`envoyExtAuthzHttp`, `envoyExtAuthzGrpc`); other kinds (tracing, access logs) are
/// configured elsewhere and skipped here. Rejects what istiod would reject for these providers.
enum ExtensionProviderParser {
    static func apply(_ meshConfig: FieldReader, to security: inout SecurityConfig) throws(ProxyError) {
        for entry in try meshConfig.children("extensionProviders") {
            let name = try entry.requiredString("name")
            guard security.extensionProviders[name] == nil else {
                throw entry.fail("name", "extension provider names must be unique, found \"\(name)\" twice")
            }
            let http = try entry.child("envoyExtAuthzHttp")
            let grpc = try entry.child("envoyExtAuthzGrpc")
            if http != nil && grpc != nil {
                throw entry.fail("envoyExtAuthzGrpc", "a provider is either envoyExtAuthzHttp or envoyExtAuthzGrpc")
            }
            if let http { security.extensionProviders[name] = try httpProvider(name, http) }
            if let grpc { security.extensionProviders[name] = try common(name, .grpc, grpc) }
        }
    }

    /// Points each provider at the endpoints of the cluster its `service` names (ServiceEntry host or static
    /// cluster, short names allowed), or at `service:port` itself when no cluster has that name.
    static func resolve(_ config: inout ProxyConfig) {
        let clusters = config.clusters
        for (name, var provider) in config.security.extensionProviders {
            let parts = provider.service.split(separator: "/", maxSplits: 1).map(String.init)
            let host = parts.last ?? provider.service
            let namespace = parts.count == 2 ? parts[0] : config.security.workload.namespace
            let candidates = [host, "\(host).\(namespace).svc.cluster.local", "\(host).\(namespace)", "\(host).\(namespace).svc"]
            if let cluster = candidates.compactMap({ clusters[$0.lowercased()] }).first {
                provider.endpoints = cluster.endpoints.map(\.address)
            } else {
                provider.endpoints = [HostPort(host: host, port: provider.port)]
            }
            config.security.extensionProviders[name] = provider
        }
    }

    private static func httpProvider(_ name: String, _ spec: FieldReader) throws(ProxyError) -> ExtAuthzProvider {
        var provider = try common(name, .http, spec)
        if let prefix = try spec.string("pathPrefix"), !prefix.isEmpty {
            guard prefix.hasPrefix("/") else { throw spec.fail("pathPrefix", "must begin with /, found \"\(prefix)\"") }
            provider.pathPrefix = prefix
        }
        provider.includeRequestHeaders = try headerPatterns(spec, "includeRequestHeadersInCheck")
        provider.additionalHeaders = try spec.stringMap("includeAdditionalHeadersInCheck")
            .map { ($0.key.lowercased(), $0.value) }.sorted { $0.0 < $1.0 }
        provider.headersToUpstreamOnAllow = try headerPatterns(spec, "headersToUpstreamOnAllow")
        provider.headersToDownstreamOnDeny = try headerPatterns(spec, "headersToDownstreamOnDeny")
        provider.headersToDownstreamOnAllow = try headerPatterns(spec, "headersToDownstreamOnAllow")
        return provider
    }

    /// The fields both kinds share: service, port, timeout, failOpen, statusOnError, includeRequestBodyInCheck.
    private static func common(_ name: String, _ api: ExtAuthzProvider.API, _ spec: FieldReader) throws(ProxyError) -> ExtAuthzProvider {
        let service = try spec.requiredString("service")
        guard let port = try spec.int("port") else { throw spec.fail("port", "required") }
        guard (1...65535).contains(port) else { throw spec.fail("port", "must be in 1..65535, found \(port)") }
        var provider = ExtAuthzProvider(name: name, api: api, service: service, port: port)
        if let timeout = try spec.duration("timeout") {
            guard timeout > .zero else { throw spec.fail("timeout", "must be positive") }
            provider.timeout = timeout
        }
        provider.failOpen = try spec.bool("failOpen") ?? false
        if let status = try spec.int("statusOnError") {
            guard (100...599).contains(status) else { throw spec.fail("statusOnError", "expected an HTTP status (100..599), found \(status)") }
            provider.statusOnError = status
        }
        if let body = try spec.child("includeRequestBodyInCheck") {
            guard let max = try body.int("maxRequestBytes"), max > 0 else {
                throw body.fail("maxRequestBytes", "required: the most body bytes buffered for the check (1 or more)")
            }
            provider.requestBody = ExtAuthzProvider.RequestBody(
                maxRequestBytes: max, allowPartialMessage: try body.bool("allowPartialMessage") ?? false,
                packAsBytes: try body.bool("packAsBytes") ?? false)
        }
        return provider
    }

    /// Header names as exact, `prefix*` or `*suffix` patterns, matched without regard to case; a lone `*` is
    /// refused, as istiod refuses it.
    private static func headerPatterns(_ spec: FieldReader, _ key: String) throws(ProxyError) -> [StringPattern] {
        var patterns: [StringPattern] = []
        for name in try spec.strings(key) {
            guard name != "*" else { throw spec.fail(key, "a single wildcard (\"*\") is not supported, use a prefix or suffix match") }
            patterns.append(StringPattern(name, lowercased: true))
        }
        return patterns
    }
}

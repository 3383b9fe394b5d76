import MeshCore
import MeshPolicy

/// Reads PeerAuthentication, RequestAuthentication and AuthorizationPolicy documents with MeshPolicy's typed models, rejecting what
/// Istio's admission webhook would reject, and checks that the listeners can honour the modes asked for.
enum SecurityParser {
    /// Adds one PeerAuthentication or AuthorizationPolicy document to `security`.
    static func apply(_ document: Value, label: String, to security: inout SecurityConfig) throws(ProxyError) {
        var document = document
        if document["apiVersion"] == nil { document["apiVersion"] = "security.istio.io/v1" }
        let decoded: MeshResource?
        do {
            decoded = try MeshResource.decode(document)
        } catch {
            throw ProxyError(.invalidConfig, "\(label): \(error)")
        }
        guard let resource = decoded else {
            throw ProxyError(.invalidConfig, "\(label): not a security.istio.io resource (check apiVersion)")
        }
        if let issue = Validator.validate(resource).first(where: { $0.severity == .error }) {
            throw ProxyError(.invalidConfig, "\(label): \(issue.path.isEmpty ? "" : "\(issue.path): ")\(issue.message)")
        }
        switch resource {
        case .peerAuthentication(let policy):
            security.peerAuthentications.append(policy)
        case .requestAuthentication(let policy):
            security.requestAuthentications.append(policy)
        case .authorizationPolicy(let policy):
            do {
                security.authorizationPolicies.append(try CompiledPolicy(policy))
            } catch {
                throw ProxyError(.invalidConfig, "\(label): \(error)")
            }
        default:
            throw ProxyError(.invalidConfig, "\(label): expected PeerAuthentication, RequestAuthentication or AuthorizationPolicy")
        }
    }

    /// Inbound listeners under STRICT or PERMISSIVE mTLS need the workload identity with its CA; the JWT rules
    /// that apply need usable JWKS (parsed here, and kept in the config for the proxy).
    static func check(_ config: inout ProxyConfig) throws(ProxyError) {
        config.security.jwtRules = try RequestAuthenticator.rules(
            from: config.security.requestAuthentications, workload: config.security.workload,
            rootNamespace: config.security.rootNamespace)
        for listener in config.listeners where listener.direction == .inbound && listener.tls == nil {
            let resolution = config.security.mtlsMode(port: listener.targetPort ?? listener.address.port)
            guard resolution.mode != .disable else { continue }
            let identity = config.security.identity
            if identity?.caFile == nil {
                let by = resolution.policy.map { "PeerAuthentication \($0)" } ?? "the mesh default"
                throw ProxyError(
                    .invalidConfig,
                    "listener \(listener.name): \(resolution.mode.rawValue) mTLS (from \(by)) needs the workload identity with its CA (ProxyBootstrap spec.identity: certificate, key, ca)")
            }
        }
    }
}

import Foundation
import MeshCore
import Synchronization

/// Produces the authentication and impersonation headers of every request, caching what is costly to get
/// (exec plugin output until its expiry, token files until they change, refreshed OIDC tokens).
///
/// Shared by a client and its watches, so its state sits behind a lock.
public final class Authenticator: Sendable {
    private struct State: Sendable {
        var cached: ExecCredential?
        var tokenFile: TokenFileSource?
        var oidc: OIDCTokenSource?
        var execRuns = 0
    }

    /// The credentials it uses.
    public let credentials: ClientConfig.Credentials
    /// Who requests act as.
    public let impersonation: ClientConfig.Impersonation
    private let state: Mutex<State>
    private let runner: ExecPluginRunner?
    private let now: @Sendable () -> Date

    /// Makes an authenticator for a resolved configuration; `environment` is what exec plugins inherit.
    public init(
        config: ClientConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(KubeError) {
        credentials = config.credentials
        impersonation = config.impersonation
        self.now = now
        var initial = State()
        switch config.credentials {
        case .tokenFile(let path): initial.tokenFile = TokenFileSource(path: path)
        case .oidc(let provider): initial.oidc = try OIDCTokenSource(provider)
        default: break
        }
        state = Mutex(initial)
        if case .exec(let exec) = config.credentials {
            runner = ExecPluginRunner(config: exec, cluster: Self.clusterInfo(config), environment: environment)
        } else {
            runner = nil
        }
    }

    /// How many times the exec plugin ran (to show caching works).
    public var execRuns: Int { state.withLock { $0.execRuns } }

    /// The headers to add to a request: `Authorization` and `Impersonate-*`.
    public func headers() throws(KubeError) -> [(name: String, value: String)] {
        try credential().headers
    }

    /// The headers of a request and, when an exec plugin handed one out, the client certificate the transport
    /// must present; the plugin runs at most once for both.
    public func credential() throws(KubeError) -> (headers: [(name: String, value: String)], clientCertificate: (certificate: Data, key: Data)?) {
        var headers: [(name: String, value: String)] = []
        var certificate: (certificate: Data, key: Data)?
        if runner != nil {
            let exec = try execCredential()
            if let token = exec.token { headers.append(("Authorization", "Bearer \(token)")) }
            if let cert = exec.clientCertificateData, let key = exec.clientKeyData { certificate = (cert, key) }
        } else if let value = try authorization() {
            headers.append(("Authorization", value))
        }
        if let user = impersonation.user { headers.append(("Impersonate-User", user)) }
        if let uid = impersonation.uid { headers.append(("Impersonate-Uid", uid)) }
        for group in impersonation.groups { headers.append(("Impersonate-Group", group)) }
        for (key, values) in impersonation.extra.sorted(by: { $0.key < $1.key }) {
            let name = "Impersonate-Extra-" + (key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key)
            for value in values { headers.append((name, value)) }
        }
        return (headers, certificate)
    }

    /// Forgets credentials the server just refused (401); returns whether a retry may succeed with new ones.
    public func refreshAfterUnauthorized() -> Bool {
        state.withLock { state in
            switch credentials {
            case .exec:
                state.cached = nil
                return true
            case .tokenFile:
                let old = state.tokenFile?.token
                let new = try? state.tokenFile?.current(force: true)
                return new != nil && new != old
            case .oidc:
                let old = state.oidc?.idToken
                let new = try? state.oidc?.current(now: now(), force: true)
                return new != nil && new != old
            default:
                return false
            }
        }
    }

    private func authorization() throws(KubeError) -> String? {
        switch credentials {
        case .none:
            return nil
        case .token(let token):
            return "Bearer \(token)"
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        case .tokenFile(let path):
            let token = try state.withLock { (state: inout State) throws(KubeError) -> String in
                var source = state.tokenFile ?? TokenFileSource(path: path)
                defer { state.tokenFile = source }
                return try source.current()
            }
            return "Bearer \(token)"
        case .oidc:
            let now = now()
            let token = try state.withLock { (state: inout State) throws(KubeError) -> String in
                guard var source = state.oidc else { throw KubeError(.credentials, "no OIDC provider is configured") }
                defer { state.oidc = source }
                return try source.current(now: now)
            }
            return "Bearer \(token)"
        case .exec:
            return nil  // handled by credential()
        }
    }

    private func execCredential() throws(KubeError) -> ExecCredential {
        guard let runner else { throw KubeError(.credentials, "no exec plugin is configured") }
        let now = now()
        return try state.withLock { (state: inout State) throws(KubeError) -> ExecCredential in
            if let cached = state.cached, cached.expiration.map({ $0 > now }) ?? true { return cached }
            state.execRuns += 1
            let fresh = try runner.run()
            state.cached = fresh
            return fresh
        }
    }

    /// The `spec.cluster` an exec plugin receives with `provideClusterInfo`.
    static func clusterInfo(_ config: ClientConfig) -> Value {
        var cluster: Value.Object = ["server": .string(config.server)]
        if let name = config.tls.serverName { cluster["tls-server-name"] = .string(name) }
        if config.tls.insecureSkipVerify { cluster["insecure-skip-tls-verify"] = true }
        if let ca = config.tls.caData { cluster["certificate-authority-data"] = .string(ca.base64EncodedString()) }
        if let proxy = config.proxyURL { cluster["proxy-url"] = .string(proxy) }
        return .object(cluster)
    }
}

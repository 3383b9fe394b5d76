/// Everything a client needs to talk to one API server as one identity: the kubeconfig resolved for a context,
/// with overrides applied and files read.
public struct ClientConfig: Sendable {
    /// How requests are authenticated (besides a client certificate, which is in `tls`).
    public enum Credentials: Sendable, Equatable {
        /// No credentials (anonymous, or a client certificate only).
        case none
        /// A fixed bearer token.
        case token(String)
        /// A bearer token read from a file, re-read when the file changes.
        case tokenFile(String)
        /// HTTP basic authentication.
        case basic(username: String, password: String)
        /// An exec credential plugin.
        case exec(ExecConfig)
        /// The `oidc` auth-provider (`id-token`, refreshed with `refresh-token` when expired).
        case oidc(AuthProviderConfig)
    }

    /// The identity to act as (`Impersonate-*` headers).
    public struct Impersonation: Sendable, Equatable {
        /// `Impersonate-User` (`--as`).
        public var user: String?
        /// `Impersonate-Uid` (`--as-uid`).
        public var uid: String?
        /// `Impersonate-Group`, one header each (`--as-group`).
        public var groups: [String]
        /// `Impersonate-Extra-<key>` (kubeconfig `as-user-extra`).
        public var extra: [String: [String]]

        public init(user: String? = nil, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
            self.user = user
            self.uid = uid
            self.groups = groups
            self.extra = extra
        }

        /// Whether nothing is impersonated.
        public var isEmpty: Bool { user == nil && uid == nil && groups.isEmpty && extra.isEmpty }
    }

    /// The API server URL, without a trailing slash.
    public var server: String
    /// CA, client certificate and key, verification mode, server name.
    public var tls: TLSSettings
    /// `proxy-url`.
    public var proxyURL: String?
    /// The namespace to use when the command names none (`-n`, else the context's, else `default`).
    public var namespace: String
    /// Whether `namespace` came from `-n` or the context rather than the `default` fallback.
    public var namespaceIsExplicit: Bool
    /// The context used, when one was.
    public var contextName: String?
    /// The cluster entry used.
    public var clusterName: String?
    /// The user entry used.
    public var userName: String?
    /// How requests authenticate.
    public var credentials: Credentials
    /// Who to act as.
    public var impersonation: Impersonation
    /// `--request-timeout`.
    public var requestTimeout: Duration?
    /// Things the user should hear about on stderr (insecure TLS, ignored fields).
    public var warnings: [String]

    /// Makes a configuration by hand (tests, the local control plane).
    public init(
        server: String, tls: TLSSettings = TLSSettings(), proxyURL: String? = nil, namespace: String = "default",
        namespaceIsExplicit: Bool = false, contextName: String? = nil, clusterName: String? = nil,
        userName: String? = nil, credentials: Credentials = .none, impersonation: Impersonation = Impersonation(),
        requestTimeout: Duration? = nil, warnings: [String] = []
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.proxyURL = proxyURL
        self.namespace = namespace
        self.namespaceIsExplicit = namespaceIsExplicit
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName
        self.credentials = credentials
        self.impersonation = impersonation
        self.requestTimeout = requestTimeout
        self.warnings = warnings
    }

    /// The transport options this configuration implies.
    public var transportOptions: TransportOptions {
        TransportOptions(tls: tls, proxyURL: proxyURL, requestTimeout: requestTimeout)
    }
}

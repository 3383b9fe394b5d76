import Foundation

/// A `users[].user` entry: how to authenticate.
public struct KubeconfigUser: Sendable, Equatable {
    /// `client-certificate` (a PEM file, absolute after loading).
    public var clientCertificate: String?
    /// `client-certificate-data` (PEM).
    public var clientCertificateData: Data?
    /// `client-key` (a PEM file, absolute after loading).
    public var clientKey: String?
    /// `client-key-data` (PEM).
    public var clientKeyData: Data?
    /// `token`: a bearer token.
    public var token: String?
    /// `tokenFile`: a file holding the bearer token, re-read when it changes.
    public var tokenFile: String?
    /// `username` for basic authentication.
    public var username: String?
    /// `password` for basic authentication.
    public var password: String?
    /// `as`: the user to impersonate.
    public var impersonate: String?
    /// `as-uid`.
    public var impersonateUID: String?
    /// `as-groups`.
    public var impersonateGroups: [String]
    /// `as-user-extra`.
    public var impersonateExtra: [String: [String]]
    /// `exec`: a credential plugin.
    public var exec: ExecConfig?
    /// `auth-provider`: a legacy provider (`oidc` is supported).
    public var authProvider: AuthProviderConfig?
    /// The kubeconfig file the entry came from.
    public var origin: String

    /// Makes a user entry.
    public init(
        clientCertificate: String? = nil, clientCertificateData: Data? = nil, clientKey: String? = nil,
        clientKeyData: Data? = nil, token: String? = nil, tokenFile: String? = nil, username: String? = nil,
        password: String? = nil, impersonate: String? = nil, impersonateUID: String? = nil,
        impersonateGroups: [String] = [], impersonateExtra: [String: [String]] = [:], exec: ExecConfig? = nil,
        authProvider: AuthProviderConfig? = nil, origin: String = ""
    ) {
        self.clientCertificate = clientCertificate
        self.clientCertificateData = clientCertificateData
        self.clientKey = clientKey
        self.clientKeyData = clientKeyData
        self.token = token
        self.tokenFile = tokenFile
        self.username = username
        self.password = password
        self.impersonate = impersonate
        self.impersonateUID = impersonateUID
        self.impersonateGroups = impersonateGroups
        self.impersonateExtra = impersonateExtra
        self.exec = exec
        self.authProvider = authProvider
        self.origin = origin
    }
}

/// The `exec` section of a user: a command that prints an `ExecCredential`.
public struct ExecConfig: Sendable, Equatable {
    /// `client.authentication.k8s.io/v1` or `/v1beta1`.
    public var apiVersion: String
    /// The program; a relative path with a `/` is resolved against the kubeconfig's directory.
    public var command: String
    /// Its arguments.
    public var args: [String]
    /// Extra environment variables, in order.
    public var env: [EnvVar]
    /// Pass the cluster's details in `KUBERNETES_EXEC_INFO`.
    public var provideClusterInfo: Bool
    /// `Never`, `IfAvailable` or `Always`.
    public var interactiveMode: String?
    /// Shown to the user when the command cannot be found.
    public var installHint: String?

    /// One `env` entry.
    public struct EnvVar: Sendable, Equatable {
        /// The variable's name.
        public var name: String
        /// Its value.
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Makes an exec section.
    public init(
        apiVersion: String, command: String, args: [String] = [], env: [EnvVar] = [], provideClusterInfo: Bool = false,
        interactiveMode: String? = nil, installHint: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
        self.installHint = installHint
    }
}

/// The `auth-provider` section of a user.
public struct AuthProviderConfig: Sendable, Equatable {
    /// The provider's name (`oidc`).
    public var name: String
    /// Its settings (`id-token`, `refresh-token`, `idp-issuer-url`, `client-id`, `client-secret`).
    public var config: [String: String]

    /// Makes an auth-provider section.
    public init(name: String, config: [String: String] = [:]) {
        self.name = name
        self.config = config
    }
}

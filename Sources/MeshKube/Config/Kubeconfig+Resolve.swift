import Foundation

extension Kubeconfig {
    /// Picks the context (`--context` › `current-context`), its cluster and user (or `--cluster`/`--user`),
    /// reads the files they name, and returns what a client needs.
    ///
    /// Throws `.contextNotFound` when an override names something missing (listing what exists), and
    /// `.invalidKubeconfig` (exit 65, naming the file) when the kubeconfig refers to something missing or is
    /// inconsistent.
    public func resolve(_ overrides: KubeconfigOverrides = KubeconfigOverrides()) throws(KubeError) -> ClientConfig {
        let available = contextNames.isEmpty ? "none" : contextNames.joined(separator: ", ")
        var context = KubeconfigContext()
        let contextName = overrides.context ?? currentContext
        if let contextName {
            if let found = contexts[contextName] {
                context = found
            } else if overrides.context != nil {
                throw KubeError(.contextNotFound, "context \"\(contextName)\" does not exist in the kubeconfig; contexts: \(available)")
            } else {
                throw KubeError.kubeconfig(currentContextOrigin ?? "kubeconfig",
                    "current-context \"\(contextName)\" does not exist; contexts: \(available)")
            }
        } else if overrides.cluster == nil {
            if files.isEmpty {
                throw KubeError(.noConfiguration,
                    "no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config")
            }
            throw KubeError(.contextNotFound, "no context is selected: pass --context or set current-context; contexts: \(available)")
        }

        let clusterName = overrides.cluster ?? context.cluster
        guard let cluster = clusters[clusterName] else {
            if overrides.cluster != nil || contextName == nil {
                throw KubeError(.contextNotFound, "cluster \"\(clusterName)\" does not exist in the kubeconfig; clusters: \(Self.list(clusters.keys))")
            }
            throw KubeError.kubeconfig(context.origin, clusterName.isEmpty
                ? "context \"\(contextName ?? "")\" names no cluster"
                : "context \"\(contextName ?? "")\" refers to cluster \"\(clusterName)\", which is not defined; clusters: \(Self.list(clusters.keys))")
        }
        let userName = overrides.user ?? context.user
        var user = KubeconfigUser()
        if !userName.isEmpty {
            guard let found = users[userName] else {
                if overrides.user != nil {
                    throw KubeError(.contextNotFound, "user \"\(userName)\" does not exist in the kubeconfig; users: \(Self.list(users.keys))")
                }
                throw KubeError.kubeconfig(context.origin,
                    "context \"\(contextName ?? "")\" refers to user \"\(userName)\", which is not defined; users: \(Self.list(users.keys))")
            }
            user = found
            try user.validate(name: userName)
        }

        var config = try Self.clusterSettings(cluster, name: clusterName)
        config.contextName = contextName
        config.clusterName = clusterName
        config.userName = userName.isEmpty ? nil : userName
        config.namespace = overrides.namespace ?? context.namespace ?? "default"
        config.namespaceIsExplicit = overrides.namespace != nil || context.namespace != nil
        config.requestTimeout = overrides.requestTimeout
        try Self.apply(user, to: &config)
        config.impersonation = ClientConfig.Impersonation(
            user: overrides.impersonate ?? user.impersonate,
            uid: overrides.impersonateUID ?? user.impersonateUID,
            groups: overrides.impersonateGroups.isEmpty ? user.impersonateGroups : overrides.impersonateGroups,
            extra: user.impersonateExtra)
        return config
    }

    private static func list(_ names: Dictionary<String, some Any>.Keys) -> String {
        names.isEmpty ? "none" : names.sorted().joined(separator: ", ")
    }

    private static func clusterSettings(_ cluster: KubeconfigCluster, name: String) throws(KubeError) -> ClientConfig {
        guard let server = cluster.server, !server.isEmpty else {
            throw KubeError.kubeconfig(cluster.origin, "cluster \"\(name)\" has no server")
        }
        let scheme = URLComponents(string: server)?.scheme?.lowercased()
        guard scheme == "https" || scheme == "http", URLComponents(string: server)?.host?.isEmpty == false else {
            throw KubeError.kubeconfig(cluster.origin, "cluster \"\(name)\": server \"\(server)\" is not an http or https URL")
        }
        var tls = TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        var warnings: [String] = []
        if let data = cluster.certificateAuthorityData {
            tls.caData = data
        } else if let file = cluster.certificateAuthority {
            tls.caData = try readFile(file, what: "certificate-authority of cluster \"\(name)\"")
        }
        if cluster.insecureSkipTLSVerify {
            if tls.caData != nil {
                throw KubeError.kubeconfig(cluster.origin,
                    "cluster \"\(name)\": certificate-authority and insecure-skip-tls-verify cannot both be set")
            }
            warnings.append("cluster \"\(name)\" skips TLS verification (insecure-skip-tls-verify): the server's identity is not checked")
        }
        return ClientConfig(server: server, tls: tls, proxyURL: cluster.proxyURL, warnings: warnings)
    }

    private static func apply(_ user: KubeconfigUser, to config: inout ClientConfig) throws(KubeError) {
        let name = config.userName ?? ""
        if let data = user.clientCertificateData {
            config.tls.clientCertificateData = data
        } else if let file = user.clientCertificate {
            config.tls.clientCertificateData = try readFile(file, what: "client-certificate of user \"\(name)\"")
        }
        if let data = user.clientKeyData {
            config.tls.clientKeyData = data
        } else if let file = user.clientKey {
            config.tls.clientKeyData = try readFile(file, what: "client-key of user \"\(name)\"")
        }
        if let token = user.token {
            config.credentials = .token(token)
        } else if let file = user.tokenFile {
            config.credentials = .tokenFile(file)
        } else if user.username != nil || user.password != nil {
            config.credentials = .basic(username: user.username ?? "", password: user.password ?? "")
        } else if let exec = user.exec {
            config.credentials = .exec(exec)
        } else if let provider = user.authProvider {
            config.credentials = .oidc(provider)
        }
    }

    static func readFile(_ path: String, what: String) throws(KubeError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KubeError(.io, "cannot read \(what) from \(path): \(error.localizedDescription)", file: path, cause: error)
        }
    }
}

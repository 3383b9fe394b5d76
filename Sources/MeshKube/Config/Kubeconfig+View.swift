import Foundation
import MeshCore

extension Kubeconfig {
    /// The configuration as a kubeconfig document (`kubectl config view`), names sorted.
    ///
    /// Unless `raw`, certificate and key data read `DATA+OMITTED` and tokens, passwords and OIDC secrets
    /// `REDACTED`, so the output can be shared.
    public func value(raw: Bool = false) -> Value {
        func data(_ bytes: Data?) -> Value? { bytes.map { raw ? .string($0.base64EncodedString()) : "DATA+OMITTED" } }
        func secret(_ text: String?) -> Value? { text.map { raw ? .string($0) : "REDACTED" } }
        func entry(_ name: String, _ key: String, _ body: Value.Object) -> Value {
            ["name": .string(name), .init(key): .object(body)]
        }
        var clusterList: [Value] = []
        for name in clusters.keys.sorted() {
            guard let cluster = clusters[name] else { continue }
            var body = Value.Object()
            body["server"] = cluster.server.map(Value.string)
            body["certificate-authority"] = cluster.certificateAuthority.map(Value.string)
            body["certificate-authority-data"] = data(cluster.certificateAuthorityData)
            if cluster.insecureSkipTLSVerify { body["insecure-skip-tls-verify"] = true }
            body["tls-server-name"] = cluster.tlsServerName.map(Value.string)
            body["proxy-url"] = cluster.proxyURL.map(Value.string)
            clusterList.append(entry(name, "cluster", body))
        }
        var userList: [Value] = []
        for name in users.keys.sorted() {
            guard let user = users[name] else { continue }
            var body = Value.Object()
            body["client-certificate"] = user.clientCertificate.map(Value.string)
            body["client-certificate-data"] = data(user.clientCertificateData)
            body["client-key"] = user.clientKey.map(Value.string)
            body["client-key-data"] = data(user.clientKeyData)
            body["token"] = secret(user.token)
            body["tokenFile"] = user.tokenFile.map(Value.string)
            body["username"] = user.username.map(Value.string)
            body["password"] = secret(user.password)
            body["as"] = user.impersonate.map(Value.string)
            body["as-uid"] = user.impersonateUID.map(Value.string)
            if !user.impersonateGroups.isEmpty { body["as-groups"] = .array(user.impersonateGroups.map(Value.string)) }
            if let exec = user.exec { body["exec"] = Self.value(exec) }
            if let provider = user.authProvider {
                var config = Value.Object()
                for key in provider.config.keys.sorted() {
                    let value = provider.config[key] ?? ""
                    let sensitive = ["id-token", "refresh-token", "client-secret", "access-token"].contains(key)
                    config[key] = sensitive ? secret(value) : .string(value)
                }
                body["auth-provider"] = ["name": .string(provider.name), "config": .object(config)]
            }
            userList.append(entry(name, "user", body))
        }
        var contextList: [Value] = []
        for name in contexts.keys.sorted() {
            guard let context = contexts[name] else { continue }
            var body: Value.Object = ["cluster": .string(context.cluster), "user": .string(context.user)]
            body["namespace"] = context.namespace.map(Value.string)
            contextList.append(entry(name, "context", body))
        }
        return [
            "apiVersion": "v1", "kind": "Config", "clusters": .array(clusterList), "contexts": .array(contextList),
            "current-context": .string(currentContext ?? ""), "preferences": [:], "users": .array(userList),
        ]
    }

    /// Only what one context needs (`kubectl config view --minify`): that context (`--context` or the current
    /// one), its cluster and its user.
    public func minified(context name: String? = nil) throws(KubeError) -> Kubeconfig {
        guard let contextName = name ?? currentContext else {
            throw KubeError(.contextNotFound, "no context is selected to minify to: pass --context or set current-context")
        }
        guard let context = contexts[contextName] else {
            throw KubeError(.contextNotFound, "context \"\(contextName)\" does not exist in the kubeconfig; contexts: \(contextNames.joined(separator: ", "))")
        }
        var result = Kubeconfig(contexts: [contextName: context], currentContext: contextName, files: files)
        if let cluster = clusters[context.cluster] { result.clusters[context.cluster] = cluster }
        if let user = users[context.user] { result.users[context.user] = user }
        return result
    }

    private static func value(_ exec: ExecConfig) -> Value {
        var body: Value.Object = ["apiVersion": .string(exec.apiVersion), "command": .string(exec.command)]
        if !exec.args.isEmpty { body["args"] = .array(exec.args.map(Value.string)) }
        if !exec.env.isEmpty {
            body["env"] = .array(exec.env.map { ["name": .string($0.name), "value": .string($0.value)] })
        }
        if exec.provideClusterInfo { body["provideClusterInfo"] = true }
        body["interactiveMode"] = exec.interactiveMode.map(Value.string)
        body["installHint"] = exec.installHint.map(Value.string)
        return .object(body)
    }
}

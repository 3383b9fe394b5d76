import Foundation
import MeshCore

extension Kubeconfig {
    /// Reads one kubeconfig document; relative paths resolve against `file`'s directory.
    ///
    /// Throws `KubeError` (`.invalidKubeconfig`, exit 65) naming `file` and what is wrong. Unknown fields are
    /// ignored, as kubectl ignores them; an empty document is an empty configuration.
    public init(value: Value, file: String) throws(KubeError) {
        let reader = KubeconfigReader(file: file)
        self.init(files: [file])
        guard let root = try reader.object(value, "") else { return }
        if let kind = try reader.string(root["kind"], "kind"), !kind.isEmpty, kind != "Config" {
            throw reader.fail("kind", "expected Config, found \(kind)")
        }
        if let version = try reader.string(root["apiVersion"], "apiVersion"), !version.isEmpty, version != "v1" {
            throw reader.fail("apiVersion", "expected v1, found \(version)")
        }
        for (index, name, body) in try Self.entries(root, "clusters", "cluster", reader) {
            clusters[name] = try Self.cluster(body, "clusters[\(index)].cluster", reader)
        }
        for (index, name, body) in try Self.entries(root, "users", "user", reader) {
            users[name] = try Self.user(body, "users[\(index)].user", reader)
        }
        for (index, name, body) in try Self.entries(root, "contexts", "context", reader) {
            let path = "contexts[\(index)].context"
            contexts[name] = KubeconfigContext(
                cluster: try reader.string(body["cluster"], "\(path).cluster") ?? "",
                user: try reader.string(body["user"], "\(path).user") ?? "",
                namespace: try reader.string(body["namespace"], "\(path).namespace").flatMap { $0.isEmpty ? nil : $0 },
                origin: file)
        }
        if let current = try reader.string(root["current-context"], "current-context"), !current.isEmpty {
            currentContext = current
            currentContextOrigin = file
        }
    }

    /// The `name` + body pairs of a named list (`clusters: [{name, cluster}]`).
    private static func entries(
        _ root: Value.Object, _ key: String, _ bodyKey: String, _ reader: KubeconfigReader
    ) throws(KubeError) -> [(Int, String, Value.Object)] {
        var result: [(Int, String, Value.Object)] = []
        for (index, item) in try reader.array(root[key], key).enumerated() {
            let path = "\(key)[\(index)]"
            guard let entry = try reader.object(item, path) else { throw reader.fail(path, "empty entry") }
            guard let name = try reader.string(entry["name"], "\(path).name"), !name.isEmpty else {
                throw reader.fail(path, "name is missing")
            }
            let body = try reader.object(entry[bodyKey], "\(path).\(bodyKey)") ?? Value.Object()
            result.append((index, name, body))
        }
        return result
    }

    private static func cluster(_ body: Value.Object, _ path: String, _ reader: KubeconfigReader) throws(KubeError) -> KubeconfigCluster {
        KubeconfigCluster(
            server: try reader.string(body["server"], "\(path).server"),
            certificateAuthority: try reader.path(body["certificate-authority"], "\(path).certificate-authority"),
            certificateAuthorityData: try reader.data(body["certificate-authority-data"], "\(path).certificate-authority-data"),
            insecureSkipTLSVerify: try reader.bool(body["insecure-skip-tls-verify"], "\(path).insecure-skip-tls-verify") ?? false,
            tlsServerName: try reader.string(body["tls-server-name"], "\(path).tls-server-name"),
            proxyURL: try reader.string(body["proxy-url"], "\(path).proxy-url"),
            origin: reader.file)
    }

    private static func user(_ body: Value.Object, _ path: String, _ reader: KubeconfigReader) throws(KubeError) -> KubeconfigUser {
        var user = KubeconfigUser(origin: reader.file)
        user.clientCertificate = try reader.path(body["client-certificate"], "\(path).client-certificate")
        user.clientCertificateData = try reader.data(body["client-certificate-data"], "\(path).client-certificate-data")
        user.clientKey = try reader.path(body["client-key"], "\(path).client-key")
        user.clientKeyData = try reader.data(body["client-key-data"], "\(path).client-key-data")
        user.token = try reader.string(body["token"], "\(path).token").flatMap { $0.isEmpty ? nil : $0 }
        user.tokenFile = try reader.path(body["tokenFile"], "\(path).tokenFile")
        user.username = try reader.string(body["username"], "\(path).username")
        user.password = try reader.string(body["password"], "\(path).password")
        user.impersonate = try reader.string(body["as"], "\(path).as")
        user.impersonateUID = try reader.string(body["as-uid"], "\(path).as-uid")
        user.impersonateGroups = try reader.strings(body["as-groups"], "\(path).as-groups")
        if let extra = try reader.object(body["as-user-extra"], "\(path).as-user-extra") {
            for (key, value) in extra {
                user.impersonateExtra[key] = try reader.strings(value, "\(path).as-user-extra.\(key)")
            }
        }
        if let exec = try reader.object(body["exec"], "\(path).exec") {
            user.exec = try Self.exec(exec, "\(path).exec", reader)
        }
        if let provider = try reader.object(body["auth-provider"], "\(path).auth-provider") {
            let providerPath = "\(path).auth-provider"
            guard let name = try reader.string(provider["name"], "\(providerPath).name"), !name.isEmpty else {
                throw reader.fail(providerPath, "name is missing")
            }
            var config: [String: String] = [:]
            for (key, value) in try reader.object(provider["config"], "\(providerPath).config") ?? Value.Object() {
                config[key] = try reader.string(value, "\(providerPath).config.\(key)")
            }
            user.authProvider = AuthProviderConfig(name: name, config: config)
        }
        return user
    }

    private static func exec(_ body: Value.Object, _ path: String, _ reader: KubeconfigReader) throws(KubeError) -> ExecConfig {
        guard let command = try reader.string(body["command"], "\(path).command"), !command.isEmpty else {
            throw reader.fail(path, "command is missing")
        }
        let apiVersion = try reader.string(body["apiVersion"], "\(path).apiVersion") ?? ""
        var env: [ExecConfig.EnvVar] = []
        for (index, item) in try reader.array(body["env"], "\(path).env").enumerated() {
            let itemPath = "\(path).env[\(index)]"
            guard let entry = try reader.object(item, itemPath),
                let name = try reader.string(entry["name"], "\(itemPath).name"), !name.isEmpty
            else { throw reader.fail(itemPath, "name is missing") }
            env.append(.init(name: name, value: try reader.string(entry["value"], "\(itemPath).value") ?? ""))
        }
        let mode = try reader.string(body["interactiveMode"], "\(path).interactiveMode")
        // Only a command given as a path (with a slash) is relative to the kubeconfig; a bare name is looked up in PATH.
        let resolved = command.contains("/") ? reader.resolve(command) : command
        return ExecConfig(
            apiVersion: apiVersion, command: resolved, args: try reader.strings(body["args"], "\(path).args"), env: env,
            provideClusterInfo: try reader.bool(body["provideClusterInfo"], "\(path).provideClusterInfo") ?? false,
            interactiveMode: mode, installHint: try reader.string(body["installHint"], "\(path).installHint"))
    }
}

import Foundation
import MeshCore
import Testing

@testable import MeshKube

struct KubeconfigLoaderTests {
    static let first = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: shared
          cluster: {server: "https://first.example:6443"}
        - name: only-first
          cluster: {server: "https://only-first.example"}
        users:
        - name: shared-user
          user: {token: first-token}
        contexts:
        - name: ctx-a
          context: {cluster: shared, user: shared-user, namespace: team-a}
        """
    static let second = """
        current-context: ctx-b
        clusters:
        - name: shared
          cluster: {server: "https://second.example:6443", insecure-skip-tls-verify: true}
        - name: only-second
          cluster: {server: "https://only-second.example"}
        users:
        - name: shared-user
          user: {token: second-token}
        contexts:
        - name: ctx-b
          context: {cluster: only-second, user: shared-user}
        """

    @Test func kubeconfigListMergesFirstFileWinsPerName() throws {
        let files = try KubeconfigFiles()
        let a = try files.write("a.yaml", Self.first)
        let b = try files.write("b.yaml", Self.second)
        let loader = KubeconfigLoader(environment: ["KUBECONFIG": "\(a)::\(files.path("missing.yaml")):\(b):\(a)"])
        #expect(try loader.files() == [a, b])
        let config = try loader.load()
        #expect(config.clusters["shared"]?.server == "https://first.example:6443")
        #expect(config.clusters["shared"]?.insecureSkipTLSVerify == false)  // entries are never combined
        #expect(config.clusters["only-second"]?.server == "https://only-second.example")
        #expect(config.users["shared-user"]?.token == "first-token")
        #expect(config.currentContext == "ctx-a")
        #expect(config.contextNames == ["ctx-a", "ctx-b"])

        let resolved = try config.resolve()
        #expect(resolved.server == "https://first.example:6443")
        #expect(resolved.namespace == "team-a")
        #expect(resolved.credentials == .token("first-token"))
    }

    @Test func currentContextComesFromTheFirstFileThatSetsIt() throws {
        let files = try KubeconfigFiles()
        let none = try files.write("none.yaml", "clusters: []\n")
        let b = try files.write("b.yaml", Self.second)
        let config = try KubeconfigLoader(environment: ["KUBECONFIG": "\(none):\(b)"]).load()
        #expect(config.currentContext == "ctx-b")
        #expect(config.currentContextOrigin == b)
    }

    @Test func explicitKubeconfigWinsOverTheEnvironmentAndMustExist() throws {
        let files = try KubeconfigFiles()
        let a = try files.write("a.yaml", Self.first)
        let b = try files.write("b.yaml", Self.second)
        let loader = KubeconfigLoader(explicitPath: b, environment: ["KUBECONFIG": a])
        #expect(try loader.load().currentContext == "ctx-b")
        let missing = KubeconfigLoader(explicitPath: files.path("nope"), environment: [:])
        let error = #expect(throws: KubeError.self) { try missing.load() }
        #expect(error?.message.contains("nope") == true)
        #expect(error?.exitCode == .failure)
    }

    @Test func homeConfigIsTheDefault() throws {
        let files = try KubeconfigFiles()
        try files.write(".kube/config", Self.first)
        let loader = KubeconfigLoader(environment: ["HOME": files.directory.path])
        #expect(try loader.files() == [files.path(".kube/config")])
        #expect(try KubeconfigLoader(environment: ["HOME": "/nonexistent"]).files().isEmpty)
    }

    @Test func overridesPickContextClusterUserAndNamespace() throws {
        let files = try KubeconfigFiles()
        let a = try files.write("a.yaml", Self.first)
        let b = try files.write("b.yaml", Self.second)
        let config = try KubeconfigLoader(environment: ["KUBECONFIG": "\(a):\(b)"]).load()
        let other = try config.resolve(KubeconfigOverrides(context: "ctx-b"))
        #expect(other.server == "https://only-second.example")
        #expect(other.namespace == "default")
        #expect(!other.namespaceIsExplicit)
        let mixed = try config.resolve(KubeconfigOverrides(cluster: "only-first", namespace: "x", impersonate: "bob",
                                                           impersonateGroups: ["g"]))
        #expect(mixed.server == "https://only-first.example")
        #expect(mixed.namespace == "x")
        #expect(mixed.impersonation == .init(user: "bob", groups: ["g"]))
    }

    @Test func aMissingContextNamesTheExistingOnes() throws {
        let files = try KubeconfigFiles()
        let config = try KubeconfigLoader(environment: ["KUBECONFIG": try files.write("a.yaml", Self.first)]).load()
        let error = #expect(throws: KubeError.self) { try config.resolve(KubeconfigOverrides(context: "prod")) }
        #expect(error?.code == .contextNotFound)
        #expect(error?.message == "context \"prod\" does not exist in the kubeconfig; contexts: ctx-a")
    }

    @Test func relativePathsResolveAgainstTheirOwnFile() throws {
        let files = try KubeconfigFiles()
        try files.write("certs/ca.crt", "CA")
        try files.write("certs/client.crt", "CERT")
        try files.write("certs/client.key", "KEY")
        let a = try files.write("conf/a.yaml", """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://k", certificate-authority: ../certs/ca.crt}}]
            users:
            - name: u
              user: {client-certificate: ../certs/client.crt, client-key: ../certs/client.key}
            - name: e
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/plugin}
            - name: p
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: plugin-in-path}
            - name: t
              user: {tokenFile: token}
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """)
        let config = try KubeconfigLoader(environment: ["KUBECONFIG": a]).load()
        let base = files.directory.path
        #expect(config.clusters["k"]?.certificateAuthority == "\(base)/certs/ca.crt")
        #expect(config.users["u"]?.clientKey == "\(base)/certs/client.key")
        #expect(config.users["e"]?.exec?.command == "\(base)/conf/bin/plugin")
        #expect(config.users["p"]?.exec?.command == "plugin-in-path")
        #expect(config.users["t"]?.tokenFile == "\(base)/conf/token")
        let resolved = try config.resolve()
        #expect(resolved.tls.caData == Data("CA".utf8))
        #expect(resolved.tls.clientCertificateData == Data("CERT".utf8))
        #expect(resolved.tls.clientKeyData == Data("KEY".utf8))
    }

    @Test func inClusterConfigIsUsedWithoutAKubeconfig() throws {
        let files = try KubeconfigFiles()
        try files.write("sa/token", "ok-sa-token")
        try files.write("sa/ca.crt", "CA")
        try files.write("sa/namespace", "mesh\n")
        let loader = KubeconfigLoader(
            environment: ["HOME": "/nonexistent", "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: files.path("sa"))
        let config = try loader.clientConfig()
        #expect(config.server == "https://10.0.0.1:443")
        #expect(config.namespace == "mesh")
        #expect(config.credentials == .tokenFile(files.path("sa/token")))
        #expect(config.tls.caData == Data("CA".utf8))

        let outside = KubeconfigLoader(environment: ["HOME": "/nonexistent"])
        let error = #expect(throws: KubeError.self) { try outside.clientConfig() }
        #expect(error?.code == .noConfiguration)
    }
}

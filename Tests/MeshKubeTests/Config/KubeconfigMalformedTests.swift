import Foundation
import MeshCore
import Testing

@testable import MeshKube

/// Every way a kubeconfig can be wrong ends in exit 65 with the file and the problem named.
struct KubeconfigMalformedTests {
    static let loadErrors: [(String, String)] = [
        ("clusters: [", "did not find expected"),
        ("- a\n- b\n", "expected a mapping, found a sequence"),
        ("kind: Pod\n", "kind: expected Config, found Pod"),
        ("apiVersion: v2\n", "apiVersion: expected v1, found v2"),
        ("clusters: {}\n", "clusters: expected a sequence, found a mapping"),
        ("clusters: [x]\n", "clusters[0]: expected a mapping, found a string"),
        ("clusters: [{cluster: {server: https://x}}]\n", "clusters[0]: name is missing"),
        ("clusters: [{name: a, cluster: [1]}]\n", "clusters[0].cluster: expected a mapping, found a sequence"),
        ("clusters: [{name: a, cluster: {server: 5}}]\n", "clusters[0].cluster.server: expected a string, found an integer"),
        ("clusters: [{name: a, cluster: {certificate-authority-data: \"!!notbase64\"}}]\n",
         "clusters[0].cluster.certificate-authority-data: is not valid base64"),
        ("clusters: [{name: a, cluster: {insecure-skip-tls-verify: maybe}}]\n",
         "clusters[0].cluster.insecure-skip-tls-verify: expected true or false"),
        ("users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1}}}]\n",
         "users[0].user.exec: command is missing"),
        ("users: [{name: u, user: {exec: {command: x, env: [{value: v}]}}}]\n", "users[0].user.exec.env[0]: name is missing"),
        ("users: [{name: u, user: {as-groups: a}}]\n", "users[0].user.as-groups: expected a sequence"),
        ("users: [{name: u, user: {auth-provider: {config: {}}}}]\n", "users[0].user.auth-provider: name is missing"),
        ("contexts: [{name: c, context: {namespace: [x]}}]\n", "contexts[0].context.namespace: expected a string"),
        ("current-context: [a]\n", "current-context: expected a string, found a sequence"),
        ("current-context: a\ncurrent-context: b\n", "current-context"),
    ]

    @Test(arguments: loadErrors)
    func malformedFilesAreDataErrors(text: String, problem: String) throws {
        let files = try KubeconfigFiles()
        let file = try files.write("bad.yaml", text)
        let error = #expect(throws: KubeError.self) { try KubeconfigLoader(explicitPath: file, environment: [:]).load() }
        #expect(error?.code == .invalidKubeconfig)
        #expect(error?.exitCode == .dataError)
        #expect(error?.file == file)
        #expect(error?.message.hasPrefix("invalid kubeconfig \(file): ") == true)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "no error")")
    }

    static let clusterA = "clusters: [{name: a, cluster: {server: \"https://a\"}}]\n"

    static let resolveErrors: [(String, String)] = [
        ("current-context: gone\ncontexts: [{name: c, context: {cluster: a}}]\n" + clusterA,
         "current-context \"gone\" does not exist; contexts: c"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: b}}]\n" + clusterA,
         "context \"c\" refers to cluster \"b\", which is not defined; clusters: a"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: nobody}}]\n" + clusterA,
         "context \"c\" refers to user \"nobody\", which is not defined; users: none"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a}}]\nclusters: [{name: a, cluster: {}}]\n",
         "cluster \"a\" has no server"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a}}]\nclusters: [{name: a, cluster: {server: ftp://a}}]\n",
         "server \"ftp://a\" is not an http or https URL"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {token: t, username: x, password: pw}}]\n",
         "user \"u\": more than one authentication method (token, basic auth)"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {client-certificate-data: Q0VSVA==}}]\n",
         "client-certificate is set but client-key(-data) is missing"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {exec: {command: x}}}]\n",
         "exec.apiVersion is missing"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}}}]\n",
         "exec.apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {exec: {command: x, apiVersion: client.authentication.k8s.io/v1}}}]\n",
         "exec.interactiveMode is required"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Sometimes}}}]\n",
         "exec.interactiveMode \"Sometimes\""),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a, user: u}}]\n" + clusterA
            + "users: [{name: u, user: {auth-provider: {name: gcp}}}]\n",
         "auth-provider \"gcp\" is not supported"),
        ("current-context: c\ncontexts: [{name: c, context: {cluster: a}}]\n"
            + "clusters: [{name: a, cluster: {server: \"https://a\", insecure-skip-tls-verify: true, certificate-authority-data: Q0E=}}]\n",
         "certificate-authority and insecure-skip-tls-verify cannot both be set"),
    ]

    @Test(arguments: resolveErrors)
    func inconsistentConfigurationsAreDataErrors(text: String, problem: String) throws {
        let files = try KubeconfigFiles()
        let file = try files.write("bad.yaml", text)
        let config = try KubeconfigLoader(explicitPath: file, environment: [:]).load()
        let error = #expect(throws: KubeError.self) { try config.resolve() }
        #expect(error?.exitCode == .dataError)
        #expect(error?.message.hasPrefix("invalid kubeconfig \(file): ") == true)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "no error")")
    }

    @Test func unusedBrokenUsersDoNotStopOtherContexts() throws {
        let files = try KubeconfigFiles()
        let file = try files.write("ok.yaml", "current-context: c\ncontexts: [{name: c, context: {cluster: a}}]\n" + Self.clusterA
            + "users: [{name: broken, user: {token: t, username: x}}]\n")
        #expect(try KubeconfigLoader(explicitPath: file, environment: [:]).load().resolve().server == "https://a")
    }

    @Test func insecureSkipVerifyIsWarnedAbout() throws {
        let files = try KubeconfigFiles()
        let file = try files.write("ok.yaml", "current-context: c\ncontexts: [{name: c, context: {cluster: a}}]\n"
            + "clusters: [{name: a, cluster: {server: \"https://a\", insecure-skip-tls-verify: true}}]\n")
        let config = try KubeconfigLoader(explicitPath: file, environment: [:]).load().resolve()
        #expect(config.tls.insecureSkipVerify)
        #expect(config.warnings.first?.contains("skips TLS verification") == true)
    }

    @Test func anEmptyFileIsAnEmptyConfiguration() throws {
        let files = try KubeconfigFiles()
        let file = try files.write("empty.yaml", "")
        let config = try KubeconfigLoader(explicitPath: file, environment: [:]).load()
        #expect(config.contexts.isEmpty)
        let error = #expect(throws: KubeError.self) { try config.resolve() }
        #expect(error?.code == .contextNotFound)
    }
}

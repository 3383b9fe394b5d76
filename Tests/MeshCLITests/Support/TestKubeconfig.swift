import Foundation
import MeshTestSupport

/// A kubeconfig for the CLI tests: context `test` points at a running stand-in API server (token auth, the test
/// CA), context `down` at a port where nothing listens.
struct TestKubeconfig {
    let server: TestServer
    let files: KubeconfigFiles
    let path: String

    init() throws {
        let (server, pki) = try TestServer.https()
        self.server = server
        files = try KubeconfigFiles()
        path = try files.write("config", """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test-cluster
              cluster:
                server: \(server.url)
                certificate-authority: \(pki.caCert.path)
            - name: down-cluster
              cluster:
                server: https://127.0.0.1:9
            users:
            - name: tester
              user:
                token: ok-cli-test
            contexts:
            - name: test
              context: {cluster: test-cluster, user: tester, namespace: apps}
            - name: down
              context: {cluster: down-cluster, user: tester}
            """)
    }

    /// The environment a command sees: only this kubeconfig.
    var environment: [String: String] {
        ["KUBECONFIG": path, "HOME": files.directory.path, "PATH": "/usr/bin:/bin"]
    }
}

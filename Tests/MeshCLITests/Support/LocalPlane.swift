import Foundation
import MeshControlPlane
import MeshCore
import MeshKube
import MeshTestSupport

/// The local control plane as a Kubernetes API for CLI tests: started on a free loopback port with a throwaway
/// data directory and the Istio CRDs (when the checkout has them), a kubeconfig for meshctl and an admin client
/// to seed objects.
final class LocalPlane: @unchecked Sendable {
    let plane: ControlPlane
    let directory: URL
    let kubeconfig: String
    let client: KubeClient

    init(bookmarkInterval: Double = 5) throws {
        directory = try TestTools.temporaryDirectory()
        var options = ControlPlaneOptions(dataDirectory: directory.path, port: 0, istioCRDFile: ControlPlaneOptions.defaultIstioCRDFile())
        options.bookmarkInterval = bookmarkInterval
        plane = try ControlPlane(options: options)
        let files = DataDirectory(directory.path)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: local, cluster: {server: "https://127.0.0.1:\(plane.port)", certificate-authority: "\(files.caCertificate)"}}]
            users: [{name: admin, user: {client-certificate: "\(files.adminCertificate)", client-key: "\(files.adminKey)"}}]
            contexts: [{name: local, context: {cluster: local, user: admin, namespace: default}}]
            current-context: local
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        client = try KubeClient(config: ClientConfig(
            server: "https://127.0.0.1:\(plane.port)",
            tls: TLSSettings(caData: FileManager.default.contents(atPath: files.caCertificate),
                             clientCertificateData: FileManager.default.contents(atPath: files.adminCertificate),
                             clientKeyData: FileManager.default.contents(atPath: files.adminKey))))
    }

    deinit {
        plane.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether the Istio CRDs were found (tests of Istio objects need them).
    static var hasIstioCRDs: Bool { ControlPlaneOptions.defaultIstioCRDFile() != nil }

    /// Creates namespaces unless they exist (a real API server refuses objects in a namespace that does not exist).
    func createNamespaces(_ names: String...) throws {
        for name in names {
            do {
                _ = try client.create(.namespaces, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
            } catch {
                guard error.isConflict else { throw error }
            }
        }
    }

    /// Runs meshctl in-process against this server.
    func run(_ arguments: [String]) async -> InProcess.Result {
        await InProcess.run(["--kubeconfig", kubeconfig] + arguments)
    }
}

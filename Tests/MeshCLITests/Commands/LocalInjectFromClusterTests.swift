import Foundation
import MeshControlPlane
import MeshCore
import MeshTestSupport
import Testing

/// Local mode seeds the injection config, so `inject --from-cluster` works against it as against a real Istio.
@Suite struct LocalInjectFromClusterTests {
    @Test func injectFromTheLocalControlPlaneMatchesTheBuiltInDefault() async throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plane = try ControlPlane(options: ControlPlaneOptions(dataDirectory: directory.path, port: 0, istioCRDFile: nil))
        defer { plane.shutdown() }
        let files = DataDirectory(directory.path)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: local, cluster: {server: "https://127.0.0.1:\(plane.port)", certificate-authority: "\(files.caCertificate)"}}]
            users: [{name: admin, user: {client-certificate: "\(files.adminCertificate)", client-key: "\(files.adminKey)"}}]
            contexts: [{name: meshctl-local, context: {cluster: local, user: admin}}]
            current-context: meshctl-local
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let example = Golden.url("examples/asset-api.yaml").path
        let fromCluster = await InProcess.run(["inject", "-f", example, "--from-cluster"], environment: ["KUBECONFIG": kubeconfig])
        #expect(fromCluster.code == .ok, "\(fromCluster.standardError)")
        let builtIn = await InProcess.run(["inject", "-f", example])
        #expect(fromCluster.standardOutput == builtIn.standardOutput, "\(Golden.diff(builtIn.standardOutput, fromCluster.standardOutput))")
    }
}

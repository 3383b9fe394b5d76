import Foundation
import MeshCore
import Testing

/// Local mode seeds the injection config, so `inject --from-cluster` works against it as against a real Istio.
@Suite struct LocalInjectFromClusterTests {
    @Test func injectFromTheLocalControlPlaneMatchesTheBuiltInDefault() async throws {
        let local = try LocalPlane()
        defer { withExtendedLifetime(local) {} }
        let kubeconfig = local.kubeconfig
        let example = Golden.url("examples/asset-api.yaml").path
        let fromCluster = await InProcess.run(["inject", "-f", example, "--from-cluster"], environment: ["KUBECONFIG": kubeconfig])
        #expect(fromCluster.code == .ok, "\(fromCluster.standardError)")
        let builtIn = await InProcess.run(["inject", "-f", example])
        #expect(fromCluster.standardOutput == builtIn.standardOutput, "\(Golden.diff(builtIn.standardOutput, fromCluster.standardOutput))")
    }
}

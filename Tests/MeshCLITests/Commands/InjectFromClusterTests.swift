import Foundation
import MeshCLI
import MeshCore
import MeshManifest
import MeshTestSupport
import Testing

/// `inject --from-cluster` reads the Istio install's ConfigMaps through the Kubernetes client (stand-in server).
@Suite(.enabled(if: TestTools.available, "python3 and openssl are needed for the stand-in API server"))
struct InjectFromClusterTests {
    let example = Golden.url("examples/asset-api.yaml").path

    /// Stores a ConfigMap on the stand-in server.
    func store(_ cluster: TestKubeconfig, namespace: String, name: String, data: [String: String]) throws {
        let body: Value = ["metadata": ["name": .string(name), "namespace": .string(namespace)],
                           "data": .object(Value.Object(data.map { ($0.key, Value.string($0.value)) }))]
        let result = try Subprocess.run("/usr/bin/curl", [
            "-sk", "-H", "Authorization: Bearer ok-1", "-H", "Content-Type: application/json", "-d", JSON.emit(body),
            "\(cluster.server.url)/api/v1/namespaces/\(namespace)/configmaps",
        ])
        #expect(result.status == 0)
    }

    /// The built-in config with another image hub, stored as an install named `suffix`.
    func install(_ cluster: TestKubeconfig, suffix: String = "", hub: String) throws {
        var values = BuiltinInjection.values
        values["global"]?["hub"] = .string(hub)
        try store(cluster, namespace: "istio-system", name: "istio-sidecar-injector\(suffix)",
                  data: ["config": YAML.emit(BuiltinInjection.config), "values": JSON.emit(values)])
        try store(cluster, namespace: "istio-system", name: "istio\(suffix)", data: ["mesh": YAML.emit(BuiltinInjection.mesh)])
    }

    func images(_ output: String) throws -> [String] {
        let pod = try YAML.parseDocuments(output).first?["spec"]?["template"]?["spec"]
        return ((pod?["initContainers"]?.arrayValue ?? []) + (pod?["containers"]?.arrayValue ?? [])).compactMap { $0["image"]?.stringValue }
    }

    @Test func usesTheClustersConfigMaps() async throws {
        let cluster = try TestKubeconfig()
        try install(cluster, hub: "registry.example.com/istio")
        let result = await InProcess.run(["inject", "-f", example, "--from-cluster"], environment: cluster.environment)
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(try images(result.standardOutput).contains("registry.example.com/istio/proxyv2:\(BuiltinInjection.istioVersion)"))
    }

    @Test func aRevisionReadsItsOwnConfigMaps() async throws {
        let cluster = try TestKubeconfig()
        try install(cluster, hub: "registry.example.com/stable")
        try install(cluster, suffix: "-canary", hub: "registry.example.com/canary")
        let result = await InProcess.run(["inject", "-f", example, "--from-cluster", "-r", "canary"], environment: cluster.environment)
        #expect(result.code == .ok, "\(result.standardError)")
        #expect(try images(result.standardOutput).contains { $0.hasPrefix("registry.example.com/canary/") })
        let named = await InProcess.run(
            ["inject", "-f", example, "--from-cluster", "--injectConfigMapName", "istio-sidecar-injector-canary",
             "--meshConfigMapName", "istio-canary"], environment: cluster.environment)
        #expect(try images(named.standardOutput).contains { $0.hasPrefix("registry.example.com/canary/") })
    }

    @Test func explicitFilesWinOverTheCluster() async throws {
        let cluster = try TestKubeconfig()
        try install(cluster, hub: "registry.example.com/istio")
        var values = BuiltinInjection.values
        values["global"]?["hub"] = "files.example.com/istio"
        let file = try cluster.files.write("values.json", JSON.emit(values))
        let result = await InProcess.run(["inject", "-f", example, "--from-cluster", "--values", file], environment: cluster.environment)
        #expect(try images(result.standardOutput).contains { $0.hasPrefix("files.example.com/istio/") })
    }

    @Test func aMissingInstallIsARuntimeFailureThatSaysWhere() async throws {
        let cluster = try TestKubeconfig()
        let result = await InProcess.run(["inject", "-f", example, "--from-cluster", "-i", "mesh"], environment: cluster.environment)
        #expect(result.code == .failure)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("configmaps \"istio-sidecar-injector\" not found in namespace \"mesh\""))
    }

    @Test func aConfigMapWithoutItsKeyIsBadData() async throws {
        let cluster = try TestKubeconfig()
        try store(cluster, namespace: "istio-system", name: "istio-sidecar-injector", data: ["values": "{}"])
        try store(cluster, namespace: "istio-system", name: "istio", data: ["mesh": "{}"])
        let result = await InProcess.run(["inject", "-f", example, "--from-cluster"], environment: cluster.environment)
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("configmap istio-system/istio-sidecar-injector has no key \"config\""))
    }

    @Test func configMapNamesNeedFromCluster() async {
        let result = await InProcess.run(["inject", "-f", example, "--meshConfigMapName", "istio"])
        #expect(result.code == .usage)
        #expect(result.standardError.hasPrefix("Error: --mesh-configmap needs --from-cluster\n"))
    }
}

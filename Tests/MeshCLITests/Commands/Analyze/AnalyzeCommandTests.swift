import Foundation
import MeshCore
import MeshKube
import MeshTestSupport
import Testing

/// `meshctl analyze`: istioctl's lines, levels and exit codes, on files (no cluster touched) and on a cluster.
@Suite struct AnalyzeCommandTests {
    static let broken = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web, namespace: shop}
        spec:
          hosts: [shop.example.com]
          gateways: [shop-gateway]
          http: [{route: [{destination: {host: web}}]}]
        """
    static let clean = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: shop-gateway}
        spec:
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web}
        spec:
          hosts: [shop.example.com]
          gateways: [shop-gateway]
          http: [{route: [{destination: {host: web}}]}]
        """
    static let warningsOnly = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: a, namespace: shop}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: b, namespace: shop}
        spec: {mtls: {mode: DISABLE}}
        """

    @Test func filesWithAnErrorExit79WithIstioctlLines() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("vs.yaml", Self.broken)
        let result = await InProcess.run(["analyze", "-f", path, "--context", "down"])
        #expect(result.code == .problemsFound)
        #expect(result.standardOutput == "Error [IST0101] (VirtualService shop/web) Referenced gateway not found: \"shop-gateway\"\n")

        let json = await InProcess.run(["analyze", "-f", path, "-o", "json"])
        #expect(json.code == .problemsFound)
        let message = try #require(try JSON.parse(json.standardOutput).arrayValue?.first)
        #expect(message["code"] == "IST0101")
        #expect(message["level"] == "Error")
        #expect(message["origin"] == "VirtualService shop/web")
        #expect(message["documentationUrl"] == "https://istio.io/latest/docs/reference/config/analysis/ist0101/")
    }

    @Test func cleanFilesSayNoIssuesOnStandardError() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("ok.yaml", Self.clean)
        let result = await InProcess.run(["analyze", "-f", path, "-n", "shop"])
        #expect(result.code == .ok, "\(result.standardOutput)")
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "✔ No validation issues found when analyzing \(path).\n")
        let both = await InProcess.run(["analyze", "-f", path, "-f", path, "-n", "shop"])
        #expect(both.standardError == "✔ No validation issues found when analyzing:\n  - \(path)\n  - \(path)\n")
        let json = await InProcess.run(["analyze", "-f", path, "-n", "shop", "-o", "json"])
        #expect(json.code == .ok && json.standardOutput == "[]\n")
    }

    @Test func thresholdsDecideWhatFailsAndWhatIsPrinted() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("pa.yaml", Self.warningsOnly)
        let byDefault = await InProcess.run(["analyze", "-f", path])
        #expect(byDefault.code == .ok)
        #expect(byDefault.standardOutput.components(separatedBy: "\n").filter { $0.hasPrefix("Warning [MSH0001]") }.count == 2)
        let strict = await InProcess.run(["analyze", "-f", path, "--failure-threshold", "Warning"])
        #expect(strict.code == .problemsFound)
        let quiet = await InProcess.run(["analyze", "-f", path, "--output-threshold", "Error"])
        #expect(quiet.code == .ok && quiet.standardOutput.isEmpty)
        let bad = await InProcess.run(["analyze", "-f", path, "--failure-threshold", "Fatal"])
        #expect(bad.code == .usage)
        #expect(bad.standardError.contains("--failure-threshold"))
    }

    @Test func unreadableFilesExit65() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("bad.yaml", "kind: [unclosed\n")
        let result = await InProcess.run(["analyze", "-f", path])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("Error: \(path)"))
        let missing = await InProcess.run(["analyze", "-f", files.directory.appendingPathComponent("nope.yaml").path])
        #expect(missing.code == .dataError)
        #expect(missing.standardError.contains("no such file or directory"))
    }

    @Test(.enabled(if: LocalPlane.hasIstioCRDs, "the Istio CRDs are needed"))
    func onTheClusterMessagesAreReportedPerNamespace() async throws {
        let local = try LocalPlane()
        try local.createNamespaces("shop", "quiet")
        var vs = try YAML.parse(Self.broken)
        vs["metadata"]?["namespace"] = "shop"
        _ = try local.client.create(IstioAPIForTests.virtualServices, vs, namespace: "shop")

        let shop = await local.run(["analyze", "-n", "shop"])
        #expect(shop.code == .problemsFound, "\(shop.standardError)")
        #expect(shop.standardOutput == """
            Error [IST0101] (VirtualService shop/web) Referenced gateway not found: "shop-gateway"
            Error [IST0101] (VirtualService shop/web) Referenced host not found: "web"

            """, "the cluster knows its services: there is no web")
        let quiet = await local.run(["analyze", "-n", "quiet"])
        #expect(quiet.code == .ok, "\(quiet.standardOutput)")
        #expect(quiet.standardError == "✔ No validation issues found when analyzing namespace: quiet.\n")
        let all = await local.run(["analyze", "-A", "-o", "yaml"])
        #expect(all.code == .problemsFound)
        #expect(try YAML.parse(all.standardOutput)[0]?["origin"] == "VirtualService shop/web")

        _ = try local.client.create(IstioAPIForTests.gateways, [
            "apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": ["name": "shop-gateway", "namespace": "shop"],
            "spec": ["selector": ["istio": "ingressgateway"], "servers": [["port": ["number": 80, "name": "http", "protocol": "HTTP"], "hosts": ["shop.example.com"]]]],
        ], namespace: "shop")
        let fixed = await local.run(["analyze", "-n", "shop"])
        #expect(fixed.standardOutput == """
            Error [IST0101] (Gateway shop/shop-gateway) Referenced selector not found: "istio=ingressgateway"
            Error [IST0101] (VirtualService shop/web) Referenced host not found: "web"

            """, "the cluster knows its pods and services: none match")
    }

    @Test func suppressionsDropMatchingMessagesAndBadOnesAreUsageErrors() async throws {
        let files = try KubeconfigFiles()
        let path = try files.write("vs.yaml", Self.broken)
        for pattern in ["IST0101=VirtualService shop/web", "ReferencedResourceNotFound=VirtualService shop/*", "IST*=*"] {
            let result = await InProcess.run(["analyze", "-f", path, "--suppress", pattern])
            #expect(result.code == .ok, "\(pattern): \(result.standardOutput)")
            #expect(result.standardOutput.isEmpty)
        }
        let other = await InProcess.run(["analyze", "-f", path, "-S", "IST0101=VirtualService other/*"])
        #expect(other.code == .problemsFound)
        for bad in ["IST0101", "=VirtualService a/b", "IST0101="] {
            let result = await InProcess.run(["analyze", "-f", path, "--suppress", bad])
            #expect(result.code == .usage, "\(bad)")
            #expect(result.standardError.contains("--suppress needs CODE=RESOURCE"))
        }
        let noFiles = await InProcess.run(["analyze", "--use-kube"])
        #expect(noFiles.code == .usage)
    }

    @Test(.enabled(if: LocalPlane.hasIstioCRDs, "the Istio CRDs are needed"))
    func useKubeChecksFilesAgainstWhatIsDeployed() async throws {
        let local = try LocalPlane()
        try local.createNamespaces("shop")
        _ = try local.client.create(IstioAPIForTests.gateways, [
            "apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": ["name": "shop-gateway", "namespace": "shop"],
            "spec": ["servers": [["port": ["number": 80, "name": "http", "protocol": "HTTP"], "hosts": ["shop.example.com"]]]],
        ], namespace: "shop")
        let files = try KubeconfigFiles()
        let path = try files.write("vs.yaml", Self.broken)
        // Offline the gateway is unknown; against the cluster it exists, and what remains is the missing service.
        let offline = await local.run(["analyze", "-f", path])
        #expect(offline.standardOutput.contains("Referenced gateway not found"))
        let merged = await local.run(["analyze", "--use-kube", "-f", path, "-n", "shop"])
        #expect(merged.code == .problemsFound, "\(merged.standardError)")
        #expect(merged.standardOutput == "Error [IST0101] (VirtualService shop/web) Referenced host not found: \"web\"\n")
    }
}

import Foundation
import MeshCLI
import MeshCore
import Testing

@Suite struct PKICommandTests {
    /// A root and a cluster1 intermediate made by the commands, in a temporary directory (RSA 2048 for speed).
    static func makeBundle(cluster: String = "cluster1") async throws -> String {
        let directory = try PKITestSupport.temporaryDirectory()
        let root = await InProcess.run(["pki", "root-ca", "--out", "\(directory)/certs", "--key-size", "2048"])
        #expect(root.code == .ok, "\(root.standardError)")
        let intermediate = await InProcess.run([
            "pki", "intermediate-ca", "--root", "\(directory)/certs", "--cluster", cluster, "--out", "\(directory)/\(cluster)",
            "--key-type", "ecdsa",
        ])
        #expect(intermediate.code == .ok, "\(intermediate.standardError)")
        return directory
    }

    @Test func rootIntermediateAndWorkloadVerifyEndToEnd() async throws {
        let directory = try await Self.makeBundle()
        let issue = await InProcess.run([
            "pki", "issue", "--ca", "\(directory)/cluster1", "--spiffe", "spiffe://cluster.local/ns/default/sa/web",
            "--out", "\(directory)/web", "--ttl", "1h",
        ])
        #expect(issue.code == .ok, "\(issue.standardError)")
        #expect(issue.standardOutput.contains("SANs:     SPIFFE:spiffe://cluster.local/ns/default/sa/web"))
        let verify = await InProcess.run(["pki", "verify", "--root", "\(directory)/web/root-cert.pem", "\(directory)/web/cert-chain.pem"])
        #expect(verify.code == .ok)
        #expect(verify.standardOutput.hasPrefix("OK: \"SPIFFE:spiffe://cluster.local/ns/default/sa/web\" verifies"))
    }

    @Test func verifyAgainstTheWrongRootExits79WithReasons() async throws {
        let directory = try await Self.makeBundle()
        let other = try await Self.makeBundle(cluster: "other")
        let result = await InProcess.run([
            "pki", "verify", "--root", "\(other)/certs/root-cert.pem", "--chain", "\(directory)/cluster1/cert-chain.pem",
            "\(directory)/cluster1/ca-cert.pem", "-o", "json",
        ])
        #expect(result.code == .problemsFound)
        let value = try JSON.parse(result.standardOutput)
        #expect(value["verified"] == false)
        #expect(value["reasons"]?[0]?.stringValue?.hasPrefix("bad signature") == true)
    }

    @Test func keysAreNotOverwrittenWithoutForce() async throws {
        let directory = try await Self.makeBundle()
        let again = await InProcess.run(["pki", "root-ca", "--out", "\(directory)/certs", "--key-size", "2048"])
        #expect(again.code == .failure)
        #expect(again.standardError.contains("refusing to overwrite"))
        #expect(again.standardError.contains("--force"))
    }

    @Test func inspectShowsEveryCertificateAsYAML() async throws {
        let directory = try await Self.makeBundle()
        let result = await InProcess.run(["pki", "inspect", "\(directory)/cluster1/cert-chain.pem", "-o", "yaml"])
        #expect(result.code == .ok)
        let value = try YAML.parse(result.standardOutput)
        #expect(value["certificates"]?.arrayValue?.count == 2)
        #expect(value["certificates"]?[0]?["subject"]?.stringValue == "O=Istio, CN=Intermediate CA, L=cluster1")
        #expect(value["certificates"]?[0]?["basicConstraints"]?["pathLength"]?.intValue == 0)
        #expect(value["certificates"]?[1]?["subject"]?.stringValue == "O=Istio, CN=Root CA")
    }

    @Test func inspectNeverPrintsKeys() async throws {
        let directory = try await Self.makeBundle()
        let result = await InProcess.run(["pki", "inspect", "\(directory)/cluster1/ca-key.pem"])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("no certificates found"))
        #expect(!result.standardOutput.contains("PRIVATE KEY"))
    }

    @Test func badInputExits65AndNamesTheFile() async throws {
        let directory = try await Self.makeBundle()
        try "garbage\n".write(toFile: "\(directory)/cluster1/root-cert.pem", atomically: true, encoding: .utf8)
        let result = await InProcess.run(["pki", "plug-ca", "--cert-dir", "\(directory)/cluster1", "--dry-run"])
        #expect(result.code == .dataError)
        #expect(result.standardError.contains("\(directory)/cluster1/root-cert.pem: not a PEM file"))
        let missing = await InProcess.run(["pki", "verify", "--root", "\(directory)/nope.pem", "\(directory)/cluster1/ca-cert.pem"])
        #expect(missing.code == .dataError)
        #expect(missing.standardError.contains("\(directory)/nope.pem: no such file"))
    }

    @Test func usageErrorsExit64() async {
        #expect(await InProcess.run(["pki", "root-ca"]).code == .usage)
        #expect(await InProcess.run(["pki", "root-ca", "--out", "/tmp/x", "--key-size", "1024"]).code == .usage)
        #expect(await InProcess.run(["pki", "plug-ca", "--dry-run"]).code == .usage)
        #expect(await InProcess.run(["pki", "plug-ca", "--generate"]).code == .usage)
        #expect(await InProcess.run(["pki", "issue", "--ca", "x", "--out", "y", "--spiffe", "http://nope"]).code == .usage)
    }

    @Test func plugCADryRunRedactsKeysAndTouchesNothing() async throws {
        let directory = try await Self.makeBundle()
        let result = await InProcess.run(["pki", "plug-ca", "--cert-dir", "\(directory)/cluster1", "--dry-run", "-o", "json"])
        #expect(result.code == .ok, "\(result.standardError)")
        let value = try JSON.parse(result.standardOutput)
        #expect(value["dryRun"] == true)
        #expect(value["manifest"]?["kind"]?.stringValue == "Secret")
        #expect(value["manifest"]?["type"]?.stringValue == "Opaque")
        #expect(value["manifest"]?["data"]?["ca-key.pem"]?.stringValue?.hasPrefix("<redacted") == true)
        #expect(value["manifest"]?["data"]?["cert-chain.pem"] != nil)
    }

    @Test(.enabled(if: PKITestSupport.canRunServer, "python3 or curl missing: plug-ca end-to-end test skipped"))
    func plugCAEndToEndAgainstAnAPIServer() async throws {
        let server = try PKITestSupport.APIServer()
        let directory = try await Self.makeBundle()
        let base = ["pki", "plug-ca", "--kubeconfig", server.kubeconfig, "--cert-dir", "\(directory)/cluster1"]

        let dryRun = await InProcess.run(base + ["--dry-run"])
        #expect(dryRun.code == .ok)
        #expect(try server.writes() == [])

        let first = await InProcess.run(base)
        #expect(first.code == .ok, "\(first.standardError)")
        #expect(first.standardOutput.hasPrefix("Secret istio-system/cacerts created"))
        let secret = try server.request("GET", "/api/v1/namespaces/istio-system/secrets/cacerts")
        let data = try #require(secret["data"] as? [String: String])
        #expect(Set(data.keys) == ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"])
        let key = try String(contentsOfFile: "\(directory)/cluster1/ca-key.pem", encoding: .utf8)
        #expect(data["ca-key.pem"].flatMap { Data(base64Encoded: $0) } == Data(key.utf8))
        #expect(secret["type"] as? String == "Opaque")

        let inspect = await InProcess.run(["pki", "inspect", "secret/cacerts", "--kubeconfig", server.kubeconfig, "-o", "json"])
        #expect(inspect.code == .ok, "\(inspect.standardError)")
        let inspected = try JSON.parse(inspect.standardOutput)
        #expect(inspected["certificates"]?[0]?["role"]?.stringValue == "ca-cert.pem #1")
        #expect(inspected["notes"] == ["ca-key.pem: private key (not shown)"])
        #expect(!inspect.standardOutput.contains("PRIVATE KEY"))

        let again = await InProcess.run(base)
        #expect(again.code == .ok)
        #expect(again.standardOutput.hasPrefix("Secret istio-system/cacerts unchanged"))
        #expect(try server.writes().count == 1)

        // A bundle from another root is refused, with the rotation advice, and nothing is written.
        let other = try await Self.makeBundle(cluster: "cluster1")
        let refused = await InProcess.run(["pki", "plug-ca", "--kubeconfig", server.kubeconfig, "--cert-dir", "\(other)/cluster1"])
        #expect(refused.code == .dataError)
        #expect(refused.standardError.contains("differs from the new bundle's root"))
        #expect(refused.standardError.contains("Rotate in steps"))
        #expect(try server.writes().count == 1)

        // Allowed, it is replaced; --restart rolls istiod and waits for it.
        _ = try server.request("POST", "/apis/apps/v1/namespaces/istio-system/deployments", body: """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"istiod","namespace":"istio-system","generation":2},
             "spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"availableReplicas":1}}
            """)
        let replaced = await InProcess.run([
            "pki", "plug-ca", "--kubeconfig", server.kubeconfig, "--cert-dir", "\(other)/cluster1", "--allow-root-change",
            "--restart",
        ])
        #expect(replaced.code == .ok, "\(replaced.standardError)")
        #expect(replaced.standardOutput.contains("Secret istio-system/cacerts replaced"))
        #expect(replaced.standardOutput.contains("Deployment istio-system/istiod restarted"))
        let deployment = try server.request("GET", "/apis/apps/v1/namespaces/istio-system/deployments/istiod")
        let template = (deployment["spec"] as? [String: Any])?["template"] as? [String: Any]
        let annotations = (template?["metadata"] as? [String: Any])?["annotations"] as? [String: String]
        #expect(annotations?["kubectl.kubernetes.io/restartedAt"] != nil)
    }
}

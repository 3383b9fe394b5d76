import Foundation
import MeshCore
import MeshKube
import MeshTestSupport
import Testing

/// `meshctl pki plug-ca --context meshctl-local` through the real binary: the background control plane's mesh CA
/// switches to the plugged bundle, republishes `istio-ca-root-cert`, and `local status` says so.
@Suite(.serialized) struct LocalPlugCATests {
    @Test func plugCAAgainstTheLocalControlPlaneSwitchesItsCA() async throws {
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let data = directory.appendingPathComponent("data").path
        let certs = directory.appendingPathComponent("certs").path
        let environment = ["KUBECONFIG": kubeconfig, "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        func meshctl(_ arguments: [String]) throws -> Subprocess.Result {
            try Subprocess.run(MeshctlBinary.path, arguments, environment: environment, timeout: 120)
        }
        func status() throws -> Value {
            try JSON.parse(try meshctl(["local", "status", "--data-dir", data, "-o", "json"]).standardOutput)
        }
        let port = try LocalLifecycleTests.freePort()
        defer { _ = try? meshctl(["local", "down", "--data-dir", data]) }
        let up = try meshctl(["local", "up", "--data-dir", data, "--port", String(port), "--timeout", "60s"])
        #expect(up.status == 0, "\(up.standardError)")
        let before = try status()
        #expect(before["meshCA"]?["source"]?.stringValue == "self-signed", "\(before)")
        let ownFingerprint = try #require(before["meshCA"]?["rootFingerprintSHA256"]?.stringValue)

        for arguments in [
            ["pki", "root-ca", "--out", "\(certs)/root", "--key-type", "ecdsa"],
            ["pki", "intermediate-ca", "--root", "\(certs)/root", "--cluster", "local", "--out", "\(certs)/local", "--key-type", "ecdsa"],
        ] {
            let made = try meshctl(arguments)
            #expect(made.status == 0, "\(made.standardError)")
        }
        let rootJSON = try JSON.parse(try meshctl(["pki", "inspect", "\(certs)/root/root-cert.pem", "-o", "json"]).standardOutput)
        let pluggedFingerprint = try #require(rootJSON["certificates"]?[0]?["fingerprints"]?["sha256"]?.stringValue)

        // Over HTTPS with the client certificate `local up` wrote into the kubeconfig.
        let plug = try meshctl(["pki", "plug-ca", "--context", "meshctl-local", "--cert-dir", "\(certs)/local"])
        #expect(plug.status == 0, "\(plug.standardError)")
        #expect(plug.standardOutput.contains("Secret istio-system/cacerts created"), "\(plug.standardOutput)")

        var after = try status()
        let deadline = Date().addingTimeInterval(60)
        while after["meshCA"]?["source"]?.stringValue != "plugged", Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
            after = try status()
        }
        #expect(after["meshCA"]?["source"]?.stringValue == "plugged", "\(after)")
        #expect(after["meshCA"]?["secret"]?.stringValue == "cacerts")
        #expect(after["meshCA"]?["rootFingerprintSHA256"]?.stringValue == pluggedFingerprint)
        #expect(pluggedFingerprint != ownFingerprint)
        let text = try meshctl(["local", "status", "--data-dir", data])
        #expect(text.standardOutput.contains("plugged (secret cacerts)"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains(pluggedFingerprint))

        // The published root is the plugged one, in every namespace, read through the context local up wrote.
        let client = try KubeClient(
            loader: KubeconfigLoader(explicitPath: kubeconfig, environment: environment),
            overrides: KubeconfigOverrides(context: "meshctl-local"))
        let root = try String(contentsOfFile: "\(certs)/local/root-cert.pem", encoding: .utf8)
        for namespace in ["default", "istio-system", "kube-system"] {
            let configMap = try client.get(.configMaps, name: "istio-ca-root-cert", namespace: namespace)
            #expect(configMap["data"]?["root-cert.pem"]?.stringValue == root, "namespace \(namespace)")
        }
    }
}

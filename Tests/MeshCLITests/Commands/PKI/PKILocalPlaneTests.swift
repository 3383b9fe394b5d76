import Foundation
import MeshControlPlane
import MeshCore
import MeshKube
import MeshPKI
import MeshTestSupport
import Testing

/// pki commands against the local API server in-process: HTTPS with client-certificate authentication, both
/// bundle layouts through plug-ca, the mesh CA switching, and `inspect` of secrets and standard input.
@Suite(.serialized) struct PKILocalPlaneTests {
    let local: LocalPlane

    init() throws {
        local = try LocalPlane()
    }

    func client() -> KubeClient { local.client }

    func waitForPluggedCA() async throws -> MeshCAStatus {
        let deadline = Date().addingTimeInterval(60)  // generous: validation runs on the shared concurrency pool, busy in a full test run
        while Date() < deadline {
            if let status = local.plane.meshCAStatus, status.source == .plugged { return status }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw TestTools.Failure(description: "the local mesh CA did not switch: \(String(describing: local.plane.meshCAStatus))")
    }

    @Test func plugCAOverHTTPSNeedsTheClientCertificate() async throws {
        let bundle = try await PKICommandTests.makeBundle()
        // The same server and CA, but no client certificate: the server answers 401.
        let anonymous = local.directory.appendingPathComponent("anonymous-kubeconfig").path
        try """
            apiVersion: v1
            kind: Config
            clusters: [{name: local, cluster: {server: "https://127.0.0.1:\(local.plane.port)", certificate-authority: "\(DataDirectory(local.directory.path).caCertificate)"}}]
            users: [{name: nobody, user: {}}]
            contexts: [{name: local, context: {cluster: local, user: nobody}}]
            current-context: local
            """.write(toFile: anonymous, atomically: true, encoding: .utf8)
        let refused = await InProcess.run(["pki", "plug-ca", "--kubeconfig", anonymous, "--cert-dir", "\(bundle)/cluster1"])
        #expect(refused.code == .failure, "\(refused.standardOutput)")
        #expect(refused.standardError.contains("401") || refused.standardError.lowercased().contains("unauthorized"), "\(refused.standardError)")
        #expect(throws: KubeError.self) { try client().get(.secrets, name: "cacerts", namespace: "istio-system") }

        let plugged = await InProcess.run(["pki", "plug-ca", "--kubeconfig", local.kubeconfig, "--cert-dir", "\(bundle)/cluster1"])
        #expect(plugged.code == .ok, "\(plugged.standardError)")
        let secret = KubeObject(try client().get(.secrets, name: "cacerts", namespace: "istio-system"))
        #expect(Set(secret.secretData.keys) == ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"])
        let status = try await waitForPluggedCA()
        let root = try PEMFile.read(path: "\(bundle)/cluster1/root-cert.pem")
        #expect(status.rootFingerprint == CertificateSummary.sha256Fingerprint(of: try root.certificates()[0]))
        let published = try client().get(.configMaps, name: "istio-ca-root-cert", namespace: "default")
        #expect(published["data"]?["root-cert.pem"]?.stringValue == root.text)
    }

    @Test func theTLSLayoutLandsAsTlsCrtTlsKeyCaCrt() async throws {
        let bundle = try await PKICommandTests.makeBundle()
        let tls = try PKITestSupport.temporaryDirectory()
        let source = "\(bundle)/cluster1"
        try FileManager.default.copyItem(atPath: "\(source)/cert-chain.pem", toPath: "\(tls)/tls.crt")
        try FileManager.default.copyItem(atPath: "\(source)/ca-key.pem", toPath: "\(tls)/tls.key")
        try FileManager.default.copyItem(atPath: "\(source)/root-cert.pem", toPath: "\(tls)/ca.crt")
        let plugged = await InProcess.run(["pki", "plug-ca", "--kubeconfig", local.kubeconfig, "--cert-dir", tls, "-o", "json"])
        #expect(plugged.code == .ok, "\(plugged.standardError)")
        #expect(try JSON.parse(plugged.standardOutput)["layout"]?.stringValue == "kubernetes.io/tls", "\(plugged.standardOutput)")

        let secret = KubeObject(try client().get(.secrets, name: "cacerts", namespace: "istio-system"))
        let data = secret.secretData
        #expect(Set(data.keys) == ["tls.crt", "tls.key", "ca.crt"])
        #expect(data["tls.crt"] == FileManager.default.contents(atPath: "\(tls)/tls.crt"))
        #expect(data["ca.crt"] == FileManager.default.contents(atPath: "\(tls)/ca.crt"))
        let status = try await waitForPluggedCA()
        #expect(status.signingCertificate == "O=Istio, CN=Intermediate CA, L=cluster1")

        // Certificates from the plugged CA chain to the root istiod reads from ca.crt.
        let issued = try local.plane.issueWorkloadCertificate(for: SPIFFEID(parsing: "spiffe://cluster.local/ns/default/sa/web"))
        let roots = try PEMFile.read(path: "\(tls)/ca.crt").certificates()
        let verified = await ChainVerifier(now: Date()).verify(leaf: issued.certificate, intermediates: Array(issued.chain.dropFirst()), roots: roots)
        #expect(verified.isValid, "\(verified.reasons)")
    }

    @Test func inspectSecretReadsPEMEntriesOfASecretInANamespace() async throws {
        let bundle = try await PKICommandTests.makeBundle()
        let chain = try String(contentsOfFile: "\(bundle)/cluster1/cert-chain.pem", encoding: .utf8)
        let key = try String(contentsOfFile: "\(bundle)/cluster1/ca-key.pem", encoding: .utf8)
        _ = try client().create(.secrets, [
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls", "metadata": ["name": "gateway-cert"],
            "data": ["tls.crt": .string(Data(chain.utf8).base64EncodedString()), "tls.key": .string(Data(key.utf8).base64EncodedString()),
                     "note": .string(Data("not pem".utf8).base64EncodedString())],
        ], namespace: "default")
        let inspect = await InProcess.run(["pki", "inspect", "secret/gateway-cert", "-n", "default", "--kubeconfig", local.kubeconfig, "-o", "json"])
        #expect(inspect.code == .ok, "\(inspect.standardError)")
        let value = try JSON.parse(inspect.standardOutput)
        let roles = value["certificates"]?.arrayValue?.compactMap { $0["role"]?.stringValue }
        #expect(roles == ["tls.crt #1", "tls.crt #2"])
        #expect(value["certificates"]?[1]?["subject"]?.stringValue == "O=Istio, CN=Root CA")
        #expect(value["notes"] == ["tls.key: private key (not shown)"])
        #expect(!inspect.standardOutput.contains("PRIVATE KEY"))

        // The mesh namespace is the default; a secret without certificates is bad input; a missing one is named.
        let own = await InProcess.run(["pki", "inspect", "secret/istio-ca-secret", "--kubeconfig", local.kubeconfig])
        #expect(own.code == .ok, "\(own.standardError)")
        #expect(own.standardOutput.contains("O=cluster.local"))
        _ = try client().create(.secrets, [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "plain"], "data": ["a": .string(Data("b".utf8).base64EncodedString())],
        ], namespace: "default")
        let empty = await InProcess.run(["pki", "inspect", "secret/plain", "-n", "default", "--kubeconfig", local.kubeconfig])
        #expect(empty.code == .dataError)
        #expect(empty.standardError.contains("secret default/plain holds no PEM certificates"), "\(empty.standardError)")
        let missing = await InProcess.run(["pki", "inspect", "secret/nope", "--kubeconfig", local.kubeconfig])
        #expect(missing.code != .ok)
        #expect(missing.standardError.contains("nope"), "\(missing.standardError)")
    }

    @Test func inspectDashReadsStandardInput() async throws {
        let bundle = try await PKICommandTests.makeBundle()
        let chain = try String(contentsOfFile: "\(bundle)/cluster1/cert-chain.pem", encoding: .utf8)
        let result = try Subprocess.run(MeshctlBinary.path, ["pki", "inspect", "-", "-o", "json"], input: chain, timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let value = try JSON.parse(result.standardOutput)
        #expect(value["certificates"]?.arrayValue?.count == 2)
        #expect(value["certificates"]?[0]?["subject"]?.stringValue == "O=Istio, CN=Intermediate CA, L=cluster1")

        let garbage = try Subprocess.run(MeshctlBinary.path, ["pki", "inspect", "-"], input: "hello\n", timeout: 60)
        #expect(garbage.status == 65)
        #expect(garbage.standardError.contains("standard input"), "\(garbage.standardError)")
    }
}

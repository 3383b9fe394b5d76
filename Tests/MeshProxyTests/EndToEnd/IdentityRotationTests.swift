import Foundation
import MeshTestSupport
import NIOPosix
import NIOSSL
import Testing

/// Rotating the workload identity files under a running `meshctl proxy run`: the sidecar reloads, connections
/// opened before keep working with the old certificate, new ones (inbound and outbound) use the new one.
@Suite("Workload identity rotation", .serialized)
struct IdentityRotationTests {
    /// `meshctl proxy run` on `yaml`, written next to the PKI.
    static func run(_ yaml: String, in pki: MeshctlPKI) throws -> ProxyProcess {
        let file = pki.directory.appendingPathComponent("sidecar-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try ProxyProcess(file: file)
    }

    /// Issues `name` a new certificate and, as kubelet does, renames the new files over the live ones; returns the
    /// new certificate's serial.
    static func rotate(_ name: String, in pki: MeshctlPKI) throws -> String {
        try pki.issue(name, into: "\(name)-next")
        let serial = try NIOSSLCertificate.leafSerial(pki.file("\(name)-next/cert-chain.pem"))
        for file in ["cert-chain.pem", "key.pem"] {
            guard rename(pki.file("\(name)-next/\(file)"), pki.file("\(name)/\(file)")) == 0 else {
                throw TestTools.Failure(description: "rename \(file) failed")
            }
        }
        return serial
    }

    @Test("a rotated identity serves new mTLS connections while an open keep-alive connection keeps working", .timeLimit(.minutes(1)))
    func rotationWithOpenConnection() async throws {
        let pki = try MeshctlPKI.make(workloads: ["backend", "frontend"])
        let oldSerial = try NIOSSLCertificate.leafSerial(pki.identity("backend").certificate)
        let upstreams = try await Upstreams.start(["backend"])
        let yaml = PeerAuthenticationTests.inboundYAML(pki, resources: PeerAuthenticationTests.peerAuthentication("STRICT"))
            .replacingOccurrences(of: "UPSTREAM_0", with: String(upstreams[0].port))
        let proxy = try Self.run(yaml, in: pki)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { proxy.stop(); Task { await upstreams.stop(); try? await group.shutdownGracefully() } }
        let port = try #require(try await proxy.mainPort(), "\(proxy.output)")
        let frontend = pki.identity("frontend")

        let open = try await MTLSConnection.open(port: port, identity: frontend, group: group)
        #expect(try await open.get("/") == 200)
        #expect(try await open.serverSerial() == oldSerial)

        let newSerial = try Self.rotate("backend", in: pki)
        #expect(newSerial != oldSerial)
        let served = try await poll(timeout: .seconds(20)) { () -> String? in
            guard let fresh = try? await MTLSConnection.open(port: port, identity: frontend, group: group) else { return nil }
            defer { Task { await fresh.close() } }
            guard (try? await fresh.get("/")) == 200, let serial = try? await fresh.serverSerial() else { return nil }
            return serial == newSerial ? serial : nil
        }
        #expect(served == newSerial, "new connections were not served the rotated certificate: \(proxy.output)")

        #expect(try await open.get("/") == 200, "the connection opened before the rotation must keep working")
        #expect(try await open.serverSerial() == oldSerial)
        await open.close()
    }

    @Test("after a rotation the outbound sidecar's new upstream connections present the new client certificate", .timeLimit(.minutes(1)))
    func outboundRotation() async throws {
        let pki = try MeshctlPKI.make(workloads: ["backend", "frontend"])
        let oldSerial = try NIOSSLCertificate.leafSerial(pki.identity("frontend").certificate)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let backend = pki.identity("backend")
        let upstream = try await TestUpstream.start(id: "backend", group: group, tls: (backend.certificate, backend.key), clientCA: backend.ca)
        let proxy = try Self.run(
            PeerAuthenticationTests.outboundYAML(
                pki, workload: "{namespace: default, labels: {app: frontend}}", backendPort: upstream.port,
                labels: "{security.istio.io/tlsMode: istio}", serviceAccount: "backend"),
            in: pki)
        defer { proxy.stop(); Task { await upstream.stop(); try? await group.shutdownGracefully() } }
        let port = try #require(try await proxy.mainPort(), "\(proxy.output)")
        func clientSerial() async -> String? {
            try? await TestClient.get(port: port, "/", group: group).headers.first(name: "x-client-serial")
        }
        #expect(await clientSerial() == oldSerial)

        let newSerial = try Self.rotate("frontend", in: pki)
        let presented = try await poll(timeout: .seconds(20)) { await clientSerial() == newSerial ? newSerial : nil }
        #expect(presented == newSerial, "the upstream never saw the rotated client certificate: \(proxy.output)")
    }
}

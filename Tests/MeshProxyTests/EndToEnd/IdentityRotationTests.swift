import Foundation
import MeshTestSupport
import NIOPosix
import NIOSSL
import Testing

/// Rotating the workload identity files under a running `meshctl proxy run`: the sidecar reloads, connections
/// opened before keep working with the old certificate, new ones are served with the new one.
@Suite("Workload identity rotation", .serialized)
struct IdentityRotationTests {
    @Test("a rotated identity serves new mTLS connections while an open keep-alive connection keeps working", .timeLimit(.minutes(1)))
    func rotationWithOpenConnection() async throws {
        let pki = try MeshctlPKI.make(workloads: ["backend", "frontend"])
        let oldSerial = try NIOSSLCertificate.leafSerial(pki.identity("backend").certificate)
        let upstreams = try await Upstreams.start(["backend"])
        let yaml = PeerAuthenticationTests.inboundYAML(pki, resources: PeerAuthenticationTests.peerAuthentication("STRICT"))
            .replacingOccurrences(of: "UPSTREAM_0", with: String(upstreams[0].port))
        let file = pki.directory.appendingPathComponent("sidecar.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let proxy = try ProxyProcess(file: file)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { proxy.stop(); Task { await upstreams.stop(); try? await group.shutdownGracefully() } }
        let port = try #require(try await proxy.mainPort(), "\(proxy.output)")
        let frontend = pki.identity("frontend")

        let open = try await MTLSConnection.open(port: port, identity: frontend, group: group)
        #expect(try await open.get("/") == 200)
        #expect(try await open.serverSerial() == oldSerial)

        // As kubelet does: the new files are written elsewhere and renamed over the live ones.
        try pki.issue("backend", into: "backend-next")
        let newSerial = try NIOSSLCertificate.leafSerial(pki.file("backend-next/cert-chain.pem"))
        #expect(newSerial != oldSerial)
        for name in ["cert-chain.pem", "key.pem"] {
            try #require(rename(pki.file("backend-next/\(name)"), pki.file("backend/\(name)")) == 0)
        }
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
}

import MeshTestSupport
import NIOPosix
import NIOSSL
import Testing

/// DestinationRule `trafficPolicy.tls` applied from the document, end to end: an outbound sidecar originates
/// ISTIO_MUTUAL, MUTUAL or SIMPLE TLS to an HTTPS upstream, which reports the client certificate it was shown.
@Suite("DestinationRule client TLS end to end", .serialized)
struct DestinationRuleTLSTests {
    /// The HTTPS upstream a case talks to.
    enum Upstream: Sendable {
        /// The mesh `backend` identity; requires a client certificate from the mesh root.
        case mesh
        /// `api.mesh.test` from TestPKI; requires a client certificate from its CA when `mutual`.
        case named(mutual: Bool)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// `trafficPolicy.tls`; `PKI/` stands for the TestPKI directory.
        let tls: String
        let upstream: Upstream
        /// The service account of the backend's endpoint in the ServiceEntry.
        var serviceAccount = "backend"
        let status: Int
        /// The certificate file whose leaf the upstream must see, `WORKLOAD` for the sidecar's own identity.
        var client: String?
    }

    static let cases: [Case] = [
        Case(testDescription: "ISTIO_MUTUAL presents the workload identity", tls: "{mode: ISTIO_MUTUAL}", upstream: .mesh, status: 200, client: "WORKLOAD"),
        Case(
            testDescription: "ISTIO_MUTUAL checks the endpoint's service account", tls: "{mode: ISTIO_MUTUAL}", upstream: .mesh,
            serviceAccount: "payments", status: 503),
        Case(
            testDescription: "ISTIO_MUTUAL with subjectAltNames the upstream lacks fails",
            tls: "{mode: ISTIO_MUTUAL, subjectAltNames: [spiffe://cluster.local/ns/default/sa/payments]}", upstream: .mesh, status: 503),
        Case(
            testDescription: "MUTUAL presents the given client certificate, verifying the server by sni",
            tls: "{mode: MUTUAL, clientCertificate: PKI/client.crt, privateKey: PKI/client.key, caCertificates: PKI/ca.crt, sni: api.mesh.test}",
            upstream: .named(mutual: true), status: 200, client: "PKI/client.crt"),
        Case(
            testDescription: "MUTUAL with the server's SAN",
            tls: "{mode: MUTUAL, clientCertificate: PKI/client.crt, privateKey: PKI/client.key, caCertificates: PKI/ca.crt, subjectAltNames: [api.mesh.test]}",
            upstream: .named(mutual: true), status: 200, client: "PKI/client.crt"),
        Case(
            testDescription: "MUTUAL with a SAN the server lacks fails with 503",
            tls: "{mode: MUTUAL, clientCertificate: PKI/client.crt, privateKey: PKI/client.key, caCertificates: PKI/ca.crt, subjectAltNames: [billing.mesh.test]}",
            upstream: .named(mutual: true), status: 503),
        Case(
            testDescription: "SIMPLE verifies the server by sni and presents no certificate",
            tls: "{mode: SIMPLE, caCertificates: PKI/ca.crt, sni: api.mesh.test}", upstream: .named(mutual: false), status: 200),
        Case(
            testDescription: "SIMPLE with an sni the server's certificate does not name fails with 503",
            tls: "{mode: SIMPLE, caCertificates: PKI/ca.crt, sni: billing.mesh.test}", upstream: .named(mutual: false), status: 503),
        Case(
            testDescription: "SIMPLE trusting another CA fails with 503",
            tls: "{mode: SIMPLE, caCertificates: PKI/other-ca.crt, sni: api.mesh.test}", upstream: .named(mutual: false), status: 503),
    ]

    @Test(arguments: cases)
    func origination(_ test: Case) async throws {
        let files = try TestPKI.shared.get()
        let mesh = try MeshctlPKI.make(workloads: ["backend", "frontend"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream: TestUpstream
        switch test.upstream {
        case .mesh:
            let backend = mesh.identity("backend")
            upstream = try await TestUpstream.start(
                id: "secure", group: group, tls: (backend.certificate, backend.key), clientCA: backend.ca)
        case .named(let mutual):
            upstream = try await TestUpstream.start(
                id: "secure", group: group, tls: (files.namedServerCert.path, files.namedServerKey.path),
                clientCA: mutual ? files.caCert.path : nil)
        }
        let destinationRule = """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: backend, namespace: default}
            spec: {host: backend, trafficPolicy: {tls: \(test.tls.replacingOccurrences(of: "PKI/", with: files.directory.path + "/"))}}
            """
        let sidecar = try await ProxyHarness.start(
            yaml: PeerAuthenticationTests.outboundYAML(
                mesh, workload: "{namespace: default, labels: {app: frontend}}", backendPort: upstream.port, labels: "{}",
                serviceAccount: test.serviceAccount) + destinationRule,
            upstreams: [upstream], shorthand: false, admin: false)
        defer { Task { await sidecar.stop(); await upstream.stop(); try? await group.shutdownGracefully() } }

        let response = try await sidecar.get("/")
        #expect(response.status == test.status, "\(response.body)")
        #expect(upstream.requests == (test.status == 200 ? 1 : 0))
        let expected = try test.client.map { file in
            try NIOSSLCertificate.leafSerial(
                file == "WORKLOAD" ? mesh.identity("frontend").certificate : file.replacingOccurrences(of: "PKI/", with: files.directory.path + "/"))
        }
        if test.status == 200 { #expect(response.headers.first(name: "x-client-serial") == expected) }
    }
}

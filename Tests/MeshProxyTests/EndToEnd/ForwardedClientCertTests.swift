import Crypto
import Foundation
import NIOSSL
import Testing

/// What the application behind two sidecars over mTLS is told about its caller: Istio's sidecar inbound listener
/// adds an `x-forwarded-client-cert` element (APPEND_FORWARD with By, Hash, Subject, URI, DNS), the outbound one
/// drops a caller's own (SANITIZE), and neither touches `x-forwarded-for` (`use_remote_address: false`).
@Suite("x-forwarded-client-cert between sidecars", .serialized)
struct ForwardedClientCertTests {
    @Test("the backend application gets one XFCC element naming both identities, the caller's forgery dropped")
    func appendForward() async throws {
        try await PeerMetadataExchangeTests.withSidecars { client, server, pki in
            let response = try await client.get(
                "/echo", headers: [("host", "backend"), ("x-forwarded-client-cert", "By=forged;Hash=00"), ("x-forwarded-for", "10.9.9.9")])
            #expect(response.status == 200)
            let der = try NIOSSLCertificate.fromPEMFile(pki.file("frontend.crt"))[0].toDERBytes()
            let hash = SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
            let expected = "x-forwarded-client-cert: By=spiffe://cluster.local/ns/default/sa/backend;Hash=\(hash);"
                + "Subject=\"O=cluster.local\";URI=spiffe://cluster.local/ns/default/sa/frontend;DNS=frontend.local"
            #expect(response.body.split(separator: "\n").contains(Substring(expected)), "\(response.body)")
            #expect(!response.body.contains("forged"))
            #expect(response.body.contains("x-forwarded-for: 10.9.9.9\n"))
            #expect(response.body.contains("x-forwarded-proto: https\n"), "mTLS inbound is https to the application")

            // Plain text to the PERMISSIVE backend: no client certificate, so a client's XFCC is removed.
            let plain = try await server.get("/echo", headers: [("x-forwarded-client-cert", "By=forged")])
            #expect(!plain.body.contains("x-forwarded-client-cert"))
        }
    }
}

import NIOHTTP1
import Testing
@testable import MeshProxy

/// The forwarding headers per listener class, as Istio configures Envoy: XFF appended only at gateways
/// (`use_remote_address`), XFP from the downstream connection, XFCC APPEND_FORWARD on sidecar inbound, SANITIZE_SET
/// at gateways, SANITIZE on sidecar outbound.
@Suite("HeaderPolicy forwarding headers")
struct HeaderPolicyTests {
    static let peer = PeerCertificate(
        hash: "ab12", subject: "O=cluster.local", uris: ["spiffe://cluster.local/ns/default/sa/frontend"],
        dnsNames: ["frontend.local"], pem: "-----BEGIN CERTIFICATE-----\nMII+/=\n-----END CERTIFICATE-----")
    static let backend = "spiffe://cluster.local/ns/default/sa/backend"

    func forwarded(_ policy: ForwardingPolicy, _ headers: [(String, String)], secure: Bool = false, peer: PeerCertificate? = nil) -> HTTPHeaders {
        var result = HTTPHeaders(headers)
        HeaderPolicy.addForwardingHeaders(
            &result, policy: policy, clientAddress: "10.1.1.1", secure: secure, peer: peer)
        return result
    }

    @Test(
        "the trusted client address follows Envoy's x-forwarded-for rules",
        arguments: [
            // Envoy's examples: an edge proxy trusting no one uses the peer; an internal proxy the last entry; an
            // edge proxy with two trusted proxies in front the second entry from the right.
            (true, 0, ["203.0.113.128, 203.0.113.10, 203.0.113.1"], "192.0.2.5"),
            (false, 0, ["203.0.113.128, 203.0.113.10, 203.0.113.1, 192.0.2.5"], "192.0.2.5"),
            (true, 2, ["203.0.113.128, 203.0.113.10, 203.0.113.1"], "203.0.113.10"),
            (true, 2, ["203.0.113.128", "203.0.113.10,203.0.113.1"], "203.0.113.10"),
            (true, 3, ["203.0.113.10, 203.0.113.1"], "192.0.2.5"),
            (false, 0, [], "192.0.2.5"),
            (false, 0, ["unknown"], "192.0.2.5"),
            (true, 1, ["2001:db8::7"], "2001:db8::7"),
        ])
    func trustedClientAddress(useRemoteAddress: Bool, hops: Int, forwardedFor: [String], expected: String) {
        var policy = useRemoteAddress ? ForwardingPolicy.gateway : .sidecarInbound
        policy.trustedHops = hops
        #expect(policy.trustedClientAddress(forwardedFor: forwardedFor, peer: "192.0.2.5") == expected)
    }

    @Test("a gateway trusting proxies in front keeps their x-forwarded-proto; sets it when none came")
    func trustedForwardedProto() {
        var policy = ForwardingPolicy.gateway
        policy.trustedHops = 1
        #expect(forwarded(policy, [("x-forwarded-proto", "https")])["x-forwarded-proto"] == ["https"])
        #expect(forwarded(policy, [])["x-forwarded-proto"] == ["http"])
    }

    @Test("sidecars leave x-forwarded-for alone; gateways append the client address")
    func forwardedFor() {
        #expect(forwarded(.sidecarInbound, [("x-forwarded-for", "1.2.3.4")])["x-forwarded-for"] == ["1.2.3.4"])
        #expect(!forwarded(.sidecarOutbound, []).contains(name: "x-forwarded-for"))
        #expect(forwarded(.gateway, [("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "5.6.7.8")])["x-forwarded-for"] == ["1.2.3.4, 5.6.7.8, 10.1.1.1"])
        #expect(forwarded(.gateway, [])["x-forwarded-for"] == ["10.1.1.1"])
    }

    @Test("x-forwarded-proto is the downstream connection's scheme, whatever the client sent")
    func forwardedProto() {
        #expect(forwarded(.sidecarInbound, [("x-forwarded-proto", "http")], secure: true)["x-forwarded-proto"] == ["https"])
        #expect(forwarded(.gateway, [("x-forwarded-proto", "https")])["x-forwarded-proto"] == ["http"])
    }

    @Test("sidecar inbound under mTLS appends By, Hash, Subject, URI and DNS to the client's XFCC")
    func appendForward() {
        var policy = ForwardingPolicy.sidecarInbound
        policy.localURIs = [Self.backend]
        let element = "By=\(Self.backend);Hash=ab12;Subject=\"O=cluster.local\";URI=spiffe://cluster.local/ns/default/sa/frontend;DNS=frontend.local"
        #expect(forwarded(policy, [], secure: true, peer: Self.peer)["x-forwarded-client-cert"] == [element])
        #expect(forwarded(policy, [("x-forwarded-client-cert", "By=a;Hash=b")], secure: true, peer: Self.peer)["x-forwarded-client-cert"] == ["By=a;Hash=b," + element])
        // Without a client certificate (plain text under PERMISSIVE) a client's XFCC is removed.
        #expect(!forwarded(policy, [("x-forwarded-client-cert", "By=forged")]).contains(name: "x-forwarded-client-cert"))
    }

    @Test("gateways replace XFCC with their element, Cert included; sidecar outbound never forwards it")
    func sanitizeSetAndSanitize() {
        let set = forwarded(.gateway, [("x-forwarded-client-cert", "By=forged")], secure: true, peer: Self.peer)["x-forwarded-client-cert"]
        #expect(set == ["Hash=ab12;Cert=\"-----BEGIN%20CERTIFICATE-----%0AMII%2B%2F%3D%0A-----END%20CERTIFICATE-----%0A\";Subject=\"O=cluster.local\";URI=spiffe://cluster.local/ns/default/sa/frontend;DNS=frontend.local"])
        #expect(!forwarded(.gateway, [("x-forwarded-client-cert", "By=forged")]).contains(name: "x-forwarded-client-cert"))
        #expect(!forwarded(.sidecarOutbound, [("x-forwarded-client-cert", "By=forged")], secure: true, peer: Self.peer).contains(name: "x-forwarded-client-cert"))
    }

    @Test("the policy follows the listener: gateway role or Gateway server, else its direction")
    func policyOfListener() {
        let inbound = ListenerConfig(name: "in", address: HostPort(host: "127.0.0.1", port: 0), protocol: .http)
        var outbound = inbound
        outbound.direction = .outbound
        #expect(ForwardingPolicy.of(inbound, role: "sidecar", localURIs: []) == .sidecarInbound)
        #expect(ForwardingPolicy.of(outbound, role: "sidecar", localURIs: []) == .sidecarOutbound)
        #expect(ForwardingPolicy.of(inbound, role: "gateway", localURIs: []) == .gateway)
        #expect(ForwardingPolicy.of(inbound, role: "sidecar", localURIs: ["u"]).localURIs == ["u"])
    }
}

import MeshPolicy

/// How one listener treats `x-forwarded-for` and `x-forwarded-client-cert`, as Istio configures Envoy's HTTP
/// connection manager for each listener class: gateways set `use_remote_address: true` and
/// `forward_client_cert_details: SANITIZE_SET` (with `Cert`), sidecar inbound listeners
/// `use_remote_address: false` and `APPEND_FORWARD`, sidecar outbound ones `use_remote_address: false` and
/// Envoy's default `SANITIZE`.
struct ForwardingPolicy: Sendable, Equatable {
    /// Envoy's `forward_client_cert_details` modes the proxy uses.
    enum ClientCertMode: Sendable, Equatable {
        /// Never forward `x-forwarded-client-cert`.
        case sanitize
        /// Under mTLS, append this hop's element to the client's XFCC; without it, remove the header.
        case appendForward
        /// Under mTLS, replace the client's XFCC by this hop's element; without it, remove the header.
        case sanitizeSet
    }

    /// `use_remote_address: true`: the client address is appended to `x-forwarded-for`.
    var appendsForwardedFor: Bool
    /// `xff_num_trusted_hops`: proxies in front whose `x-forwarded-for` entries (and `x-forwarded-proto`) are
    /// trusted.
    var trustedHops = 0
    var clientCert: ClientCertMode
    /// `set_current_client_cert_details.cert`: the client certificate itself goes in the element (gateways).
    var includesCert: Bool
    /// The URI SANs of the certificate this listener presents (the element's `By`).
    var localURIs: [String] = []

    static let gateway = ForwardingPolicy(appendsForwardedFor: true, clientCert: .sanitizeSet, includesCert: true)
    static let sidecarInbound = ForwardingPolicy(appendsForwardedFor: false, clientCert: .appendForward, includesCert: false)
    static let sidecarOutbound = ForwardingPolicy(appendsForwardedFor: false, clientCert: .sanitize, includesCert: false)

    /// The policy of `listener` in a proxy of `role`, presenting a certificate with `localURIs`; gateway
    /// listeners trust `numTrustedProxies` proxies in front (Istio's gateway topology; sidecars trust none).
    static func of(_ listener: ListenerConfig, role: String, localURIs: [String], numTrustedProxies: Int = 0) -> ForwardingPolicy {
        var policy: ForwardingPolicy =
            if listener.gateway != nil || role == "gateway" { .gateway }
            else if listener.direction == .inbound { .sidecarInbound }
            else { .sidecarOutbound }
        policy.localURIs = localURIs
        if policy.appendsForwardedFor { policy.trustedHops = numTrustedProxies }
        return policy
    }

    /// Envoy's trusted client address (what `remoteIpBlocks` and `remote.ip` match): with `use_remote_address`
    /// the connection's peer, or the `trustedHops`-th `x-forwarded-for` entry from the right when that many
    /// proxies are trusted; without it, the entry `trustedHops` places left of the last (the last one by
    /// default, as the edge proxy appended it). The peer when the list is too short or the entry is no IP.
    func trustedClientAddress(forwardedFor: [String], peer: String) -> String {
        forwardedClient(forwardedFor) ?? peer
    }

    /// The trusted client address when `x-forwarded-for` gives it; nil when it is the connection's peer.
    func forwardedClient(_ forwardedFor: [String]) -> String? {
        let entries = forwardedFor.flatMap { $0.split(separator: ",") }
        let fromRight = appendsForwardedFor ? trustedHops : trustedHops + 1
        guard fromRight > 0, entries.count >= fromRight else { return nil }
        let entry = String(entries[entries.count - fromRight].filter { $0 != " " && $0 != "\t" })
        return IPAddress(entry) != nil ? entry : nil
    }
}

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
    var clientCert: ClientCertMode
    /// `set_current_client_cert_details.cert`: the client certificate itself goes in the element (gateways).
    var includesCert: Bool
    /// The URI SANs of the certificate this listener presents (the element's `By`).
    var localURIs: [String] = []

    static let gateway = ForwardingPolicy(appendsForwardedFor: true, clientCert: .sanitizeSet, includesCert: true)
    static let sidecarInbound = ForwardingPolicy(appendsForwardedFor: false, clientCert: .appendForward, includesCert: false)
    static let sidecarOutbound = ForwardingPolicy(appendsForwardedFor: false, clientCert: .sanitize, includesCert: false)

    /// The policy of `listener` in a proxy of `role`, presenting a certificate with `localURIs`.
    static func of(_ listener: ListenerConfig, role: String, localURIs: [String]) -> ForwardingPolicy {
        var policy: ForwardingPolicy =
            if listener.gateway != nil || role == "gateway" { .gateway }
            else if listener.direction == .inbound { .sidecarInbound }
            else { .sidecarOutbound }
        policy.localURIs = localURIs
        return policy
    }
}

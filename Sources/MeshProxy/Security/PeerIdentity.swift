import NIOSSL

/// The identity in a certificate: the SPIFFE id (URI SAN) of a downstream client certificate becomes
/// `source.principal` for authorization.
enum PeerIdentity {
    /// The first `spiffe://` URI SAN of `certificate`; `nil` for a certificate without a SPIFFE id.
    static func spiffeID(of certificate: NIOSSLCertificate) -> String? {
        uris(of: certificate).first { $0.hasPrefix("spiffe://") }
    }

    /// Every URI SAN of `certificate`, in order.
    static func uris(of certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames().compactMap { name in
            guard case .uri = name.nameType else { return nil }
            return String(decoding: name.contents, as: UTF8.self)
        }
    }
}

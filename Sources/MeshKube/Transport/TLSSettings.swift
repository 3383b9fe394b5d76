import Foundation

/// How the transport authenticates the server and itself: CA, client certificate and key (all PEM, in memory).
public struct TLSSettings: Sendable, Equatable {
    /// PEM certificates trusted to sign the server's certificate; `nil` uses the system trust store.
    public var caData: Data?
    /// The client certificate (PEM, optionally followed by intermediates).
    public var clientCertificateData: Data?
    /// The client private key (PEM).
    public var clientKeyData: Data?
    /// Skip verifying the server's certificate and name. Only when the kubeconfig asks for it.
    public var insecureSkipVerify: Bool
    /// The name to send in SNI and to verify the server's certificate against, instead of the URL's host.
    public var serverName: String?

    /// Makes TLS settings; the default verifies the server against the system trust store.
    public init(
        caData: Data? = nil, clientCertificateData: Data? = nil, clientKeyData: Data? = nil,
        insecureSkipVerify: Bool = false, serverName: String? = nil
    ) {
        self.caData = caData
        self.clientCertificateData = clientCertificateData
        self.clientKeyData = clientKeyData
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }
}

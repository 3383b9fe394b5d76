import Foundation

/// A `clusters[].cluster` entry: where the API server is and how to trust it.
public struct KubeconfigCluster: Sendable, Equatable {
    /// The API server URL (`server`).
    public var server: String?
    /// A PEM file of trusted CAs (`certificate-authority`), absolute after loading.
    public var certificateAuthority: String?
    /// Trusted CAs in PEM (`certificate-authority-data`, base64 in the file).
    public var certificateAuthorityData: Data?
    /// `insecure-skip-tls-verify`.
    public var insecureSkipTLSVerify: Bool
    /// `tls-server-name`: the name to verify the server's certificate against.
    public var tlsServerName: String?
    /// `proxy-url`.
    public var proxyURL: String?
    /// The kubeconfig file the entry came from.
    public var origin: String

    /// Makes a cluster entry.
    public init(
        server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: Data? = nil,
        insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil, proxyURL: String? = nil, origin: String = ""
    ) {
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.certificateAuthorityData = certificateAuthorityData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.proxyURL = proxyURL
        self.origin = origin
    }
}

import MeshCore

/// TLS settings of a Gateway server or a Sidecar ingress listener.
public struct ServerTLSSettings: Codable, Sendable, Hashable {
    public var httpsRedirect: Bool?
    /// `PASSTHROUGH`, `SIMPLE`, `MUTUAL`, `AUTO_PASSTHROUGH`, `ISTIO_MUTUAL` or `OPTIONAL_MUTUAL`.
    public var mode: String?
    public var serverCertificate: String?
    public var privateKey: String?
    public var caCertificates: String?
    public var caCrl: String?
    public var credentialName: String?
    public var credentialNames: [String]?
    public var caCertCredentialName: String?
    public var tlsCertificates: [Value]?
    public var subjectAltNames: [String]?
    public var verifyCertificateSpki: [String]?
    public var verifyCertificateHash: [String]?
    public var minProtocolVersion: String?
    public var maxProtocolVersion: String?
    public var cipherSuites: [String]?
    public var ecdhCurves: [String]?
    public var insecureSkipVerify: Bool?

    public init(mode: String? = nil, credentialName: String? = nil, httpsRedirect: Bool? = nil) {
        self.mode = mode
        self.credentialName = credentialName
        self.httpsRedirect = httpsRedirect
    }
}

import MeshCore

/// Which CA signs mesh certificates in local mode, as `local status` reports it.
public struct MeshCAStatus: Sendable, Equatable {
    /// Where the signing CA came from.
    public enum Source: String, Sendable {
        /// The root the control plane made on first start (secret `istio-ca-secret`).
        case selfSigned = "self-signed"
        /// A bundle plugged in as secret `cacerts` (`meshctl pki plug-ca`).
        case plugged
    }

    /// Where the signing CA came from.
    public var source: Source
    /// The secret it was read from.
    public var secret: String
    /// The SHA-256 fingerprint of the first root workloads trust (`AB:CD:…`).
    public var rootFingerprint: String
    /// The signing certificate's subject.
    public var signingCertificate: String
    /// Why the current `cacerts` secret is not in use, when it was rejected.
    public var rejected: String?

    public init(source: Source, secret: String, rootFingerprint: String, signingCertificate: String, rejected: String? = nil) {
        self.source = source
        self.secret = secret
        self.rootFingerprint = rootFingerprint
        self.signingCertificate = signingCertificate
        self.rejected = rejected
    }

    /// `plugged (secret cacerts)`.
    public var summary: String { "\(source.rawValue) (secret \(secret))" }

    /// The JSON form written to the data directory and printed by `local status -o json`.
    public var value: Value {
        var object: Value.Object = [
            "source": .string(source.rawValue), "secret": .string(secret),
            "rootFingerprintSHA256": .string(rootFingerprint), "signingCertificate": .string(signingCertificate),
        ]
        if let rejected { object["rejected"] = .string(rejected) }
        return .object(object)
    }

    /// Reads the JSON form back; nil when it is not one.
    public init?(value: Value) {
        guard let source = value["source"]?.stringValue.flatMap(Source.init(rawValue:)),
              let secret = value["secret"]?.stringValue,
              let fingerprint = value["rootFingerprintSHA256"]?.stringValue else { return nil }
        self.init(source: source, secret: secret, rootFingerprint: fingerprint,
                  signingCertificate: value["signingCertificate"]?.stringValue ?? "",
                  rejected: value["rejected"]?.stringValue)
    }
}

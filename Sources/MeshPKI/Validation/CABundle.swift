import Foundation

/// The files of a plug-in CA bundle as istiod reads them from the `cacerts` secret, in either of its layouts.
///
/// Istio's layout: `ca-cert.pem` (signing certificate), `ca-key.pem`, `cert-chain.pem` (signing certificate first,
/// then its issuers), `root-cert.pem`, and optionally `ca-crl.pem`. The `kubernetes.io/tls` layout: `tls.crt`
/// (signing certificate and intermediates), `tls.key`, `ca.crt` (root). When `tls.crt` is present istiod uses the
/// second layout, and so does meshctl.
public struct CABundle: Sendable {
    /// Which file names the bundle uses.
    public enum Layout: String, Sendable {
        case istio
        case kubernetesTLS = "kubernetes.io/tls"

        /// The files istiod requires in this layout.
        public var requiredFiles: [String] {
            switch self {
            case .istio: ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]
            case .kubernetesTLS: ["tls.crt", "tls.key", "ca.crt"]
            }
        }

        /// Files used when present.
        public var optionalFiles: [String] {
            self == .istio ? ["ca-crl.pem"] : []
        }

        /// The signing certificate, its key, the chain and the roots.
        var signingCertificateFile: String { self == .istio ? "ca-cert.pem" : "tls.crt" }
        var keyFile: String { self == .istio ? "ca-key.pem" : "tls.key" }
        var chainFile: String { self == .istio ? "cert-chain.pem" : "tls.crt" }
        var rootFile: String { self == .istio ? "root-cert.pem" : "ca.crt" }
    }

    /// Where the bundle came from (`./cacerts`, `secret/cacerts`), for messages.
    public var source: String
    /// The layout detected.
    public var layout: Layout
    /// The files found, by bundle key (`ca-cert.pem`); each carries the name messages use for it.
    public var files: [String: PEMFile]

    /// A bundle from files already read: `entries` maps bundle keys to contents, `displayName` says how a key is
    /// named in messages.
    public init(source: String, entries: [String: Data], displayName: (String) -> String) throws(PKIError) {
        self.source = source
        layout = entries["tls.crt"] != nil ? .kubernetesTLS : .istio
        var files: [String: PEMFile] = [:]
        for name in layout.requiredFiles + layout.optionalFiles {
            if let data = entries[name] {
                files[name] = try PEMFile(name: displayName(name), data: data)
            }
        }
        self.files = files
    }

    /// Reads the bundle files found in `directory`; missing ones are reported by the validator.
    public static func read(directory: String) throws(PKIError) -> CABundle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw PKIError(.missingFile, "no such directory", file: directory)
        }
        guard isDirectory.boolValue else {
            throw PKIError(.badMaterial, "expected a directory holding the CA bundle", file: directory)
        }
        var entries: [String: Data] = [:]
        let names = Set(Layout.istio.requiredFiles + Layout.istio.optionalFiles + Layout.kubernetesTLS.requiredFiles)
        for name in names {
            let path = SigningCA.join(directory, name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PKIError(.io, "cannot read the file", file: path)
            }
            entries[name] = data
        }
        return try CABundle(source: directory, entries: entries) { SigningCA.join(directory, $0) }
    }

    /// The required files that are missing.
    public var missingFiles: [String] {
        layout.requiredFiles.filter { files[$0] == nil }
    }

    /// The secret data for `cacerts`: the layout's files that are present, by key.
    public var secretData: [(key: String, text: String)] {
        (layout.requiredFiles + layout.optionalFiles).compactMap { name in files[name].map { (name, $0.text) } }
    }
}

import Foundation
import MeshCore
import MeshPKI

/// The mesh CA's secrets in istiod's formats, read and made without I/O.
///
/// `istio-ca-secret` (type `istio.io/ca-root`) holds the self-signed root istiod makes on first start: keys
/// `ca-cert.pem` and `ca-key.pem`, with `cert-chain.pem`, `key.pem` and `root-cert.pem` empty. `cacerts` holds a
/// plugged-in bundle in either of istiod's layouts (see `CABundle`).
enum MeshCASecrets {
    static let selfSignedName = "istio-ca-secret"
    static let pluggedName = "cacerts"

    /// The self-signed root: `O=cluster.local` (the trust domain, as istiod names its own root), ten years.
    /// ECDSA P-256 rather than istiod's RSA-2048 so that a first start stays quick.
    static let selfSignedProfile = CAProfile(
        organization: "cluster.local", commonName: "meshctl local mesh root CA", validityDays: 3650, key: .p256)

    /// The `istio-ca-secret` object for a new self-signed root.
    static func selfSignedSecret(_ ca: SigningCA) throws(PKIError) -> Value {
        let pem = try ca.pem()
        let data: Value = [
            "ca-cert.pem": .string(base64(pem.certificate)), "ca-key.pem": .string(base64(pem.key)),
            "cert-chain.pem": "", "key.pem": "", "root-cert.pem": "",
        ]
        return [
            "apiVersion": "v1", "kind": "Secret", "type": "istio.io/ca-root",
            "metadata": ["name": .string(selfSignedName)], "data": data,
        ]
    }

    /// The self-signed CA in an `istio-ca-secret` object, and its root's PEM text.
    static func selfSignedCA(_ secret: Value, namespace: String, now: Date) throws(PKIError) -> (ca: SigningCA, rootPEM: String) {
        let data = decodedData(secret)
        let name = { (key: String) in "secret/\(namespace)/\(selfSignedName):\(key)" }
        let certificate = try PEMFile(name: name("ca-cert.pem"), data: data["ca-cert.pem"] ?? Data())
        let key = try PEMFile(name: name("ca-key.pem"), data: data["ca-key.pem"] ?? Data())
        return (try SigningCA.selfSigned(certificate: certificate, key: key, now: now), certificate.text)
    }

    /// The plug-in bundle in a `cacerts` object; files are named `secret/NS/cacerts:KEY` in messages.
    static func pluggedBundle(_ secret: Value, namespace: String) throws(PKIError) -> CABundle {
        let source = "secret/\(namespace)/\(pluggedName)"
        return try CABundle(source: source, entries: decodedData(secret)) { "\(source):\($0)" }
    }

    /// The roots' PEM text of a bundle (`root-cert.pem` or `ca.crt`), as istiod publishes it.
    static func rootText(_ bundle: CABundle) -> String {
        let key = bundle.layout == .istio ? "root-cert.pem" : "ca.crt"
        return bundle.files[key]?.text ?? ""
    }

    /// The secret's `data`, base64-decoded; a value that is not base64 reads as empty (and fails as PEM).
    static func decodedData(_ secret: Value) -> [String: Data] {
        var result: [String: Data] = [:]
        for (key, value) in secret["data"]?.objectValue ?? [:] {
            result[key] = value.stringValue.flatMap { Data(base64Encoded: $0) } ?? Data()
        }
        return result
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}

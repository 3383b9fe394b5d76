import Foundation
import MeshCore
import MeshPKI
import X509

extension PKIPlugCA {
    /// The name of the secret istiod reads a plugged-in CA from.
    static let secretName = "cacerts"

    /// The Opaque `cacerts` secret for `bundle` in `namespace`; with `redactKeys`, private keys are replaced by
    /// a placeholder (for printing).
    static func secret(
        for bundle: CABundle, namespace: String, redactKeys: Bool, resourceVersion: String? = nil
    ) -> Value {
        var data = Value.Object()
        for (key, text) in bundle.secretData {
            let isKey = key.hasSuffix("key.pem") || key == "tls.key"
            data[key] = .string(redactKeys && isKey ? "<redacted: use --show-key to print it>" : Data(text.utf8).base64EncodedString())
        }
        let labels: Value = .object(["app.kubernetes.io/managed-by": .string("meshctl")])
        var metadata = Value.Object()
        metadata["name"] = .string(secretName)
        metadata["namespace"] = .string(namespace)
        metadata["labels"] = labels
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        var object = Value.Object()
        object["apiVersion"] = .string("v1")
        object["kind"] = .string("Secret")
        object["metadata"] = .object(metadata)
        object["type"] = .string("Opaque")
        object["data"] = .object(data)
        return .object(object)
    }

    /// Whether an existing secret already holds exactly this bundle's data.
    static func holdsSameData(_ existing: [String: Data], as bundle: CABundle) -> Bool {
        let wanted = Dictionary(uniqueKeysWithValues: bundle.secretData.map { ($0.key, Data($0.text.utf8)) })
        return existing == wanted
    }

    /// The roots an existing `cacerts` secret makes the mesh trust (either layout); empty when it holds none
    /// that parse.
    static func currentRoots(_ data: [String: Data]) -> [Certificate] {
        for key in ["root-cert.pem", "ca.crt"] {
            if let bytes = data[key], let file = try? PEMFile(name: key, data: bytes), let roots = try? file.certificates() {
                return roots
            }
        }
        return []
    }
}

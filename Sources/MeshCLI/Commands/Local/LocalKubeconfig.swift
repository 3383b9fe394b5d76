import Foundation
import MeshCore

/// Adds (or refreshes) the `meshctl-local` cluster, user and context in a kubeconfig file, leaving every other
/// entry and the current context as they are (the current context is set only when there is none).
struct LocalKubeconfig {
    static let name = "meshctl-local"

    /// The file to write: `--kubeconfig`, else the first of `$KUBECONFIG`, else `~/.kube/config`.
    static func file(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first { return String(first) }
        return (environment["HOME"] ?? "/tmp") + "/.kube/config"
    }

    /// The updated document.
    static func merge(into document: Value?, server: String, caPEM: Data, certificatePEM: Data, keyPEM: Data, namespace: String) -> Value {
        var config: Value = document?.objectValue != nil ? document! : ["apiVersion": "v1", "kind": "Config", "preferences": [:]]
        func upsert(_ section: String, _ key: String, _ body: Value) {
            var items = config[section]?.arrayValue ?? []
            let entry: Value = ["name": .string(name), .init(stringLiteral: key): body]
            if let index = items.firstIndex(where: { $0["name"]?.stringValue == name }) { items[index] = entry } else { items.append(entry) }
            config[section] = .array(items)
        }
        upsert("clusters", "cluster", ["server": .string(server), "certificate-authority-data": .string(caPEM.base64EncodedString())])
        upsert("users", "user", ["client-certificate-data": .string(certificatePEM.base64EncodedString()),
                                 "client-key-data": .string(keyPEM.base64EncodedString())])
        upsert("contexts", "context", ["cluster": .string(name), "user": .string(name), "namespace": .string(namespace)])
        if config["current-context"]?.stringValue?.isEmpty ?? true { config["current-context"] = .string(name) }
        return config
    }

    /// Reads `file` (if present), merges the entries and writes it back with mode 0600.
    static func write(file: String, server: String, caPEM: Data, certificatePEM: Data, keyPEM: Data, namespace: String = "default") throws {
        var existing: Value?
        if let data = FileManager.default.contents(atPath: file), !data.isEmpty {
            do { existing = try YAML.parse(String(decoding: data, as: UTF8.self)) } catch {
                throw LocalModeError("cannot update \(file): it is not valid YAML (\(error)); fix it or pass --kubeconfig")
            }
        }
        let merged = merge(into: existing, server: server, caPEM: caPEM, certificatePEM: certificatePEM, keyPEM: keyPEM, namespace: namespace)
        let directory = (file as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        do {
            try AtomicFile.write(Array(YAML.emit(merged, sortKeys: false).utf8), to: file, permissions: 0o600)
        } catch {
            throw LocalModeError("cannot write the kubeconfig \(file): \(error.message)")
        }
    }
}

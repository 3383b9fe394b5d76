import Foundation
import MeshCore

/// Reads a kubeconfig document (already parsed into a `Value`) field by field, naming the file and the place of
/// every problem (`users[0].user.exec: command is missing`).
struct KubeconfigReader {
    let file: String
    let directory: String

    init(file: String) {
        self.file = file
        directory = (file as NSString).deletingLastPathComponent
    }

    static func article(_ value: Value) -> String {
        let kind = value.kindName
        return ("aeiou".contains(kind.first ?? "x") ? "an " : "a ") + kind
    }

    func fail(_ path: String, _ problem: String) -> KubeError {
        KubeError.kubeconfig(file, path.isEmpty ? problem : "\(path): \(problem)")
    }

    func object(_ value: Value?, _ path: String) throws(KubeError) -> Value.Object? {
        guard let value, !value.isNull else { return nil }
        guard let object = value.objectValue else { throw fail(path, "expected a mapping, found \(Self.article(value))") }
        return object
    }

    func array(_ value: Value?, _ path: String) throws(KubeError) -> [Value] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw fail(path, "expected a sequence, found \(Self.article(value))") }
        return items
    }

    func string(_ value: Value?, _ path: String) throws(KubeError) -> String? {
        guard let value, !value.isNull else { return nil }
        switch value {
        case .string(let string): return string
        default: throw fail(path, "expected a string, found \(Self.article(value))")
        }
    }

    func bool(_ value: Value?, _ path: String) throws(KubeError) -> Bool? {
        guard let value, !value.isNull else { return nil }
        if let bool = value.boolValue { return bool }
        if let text = value.stringValue, ["true", "false"].contains(text) { return text == "true" }
        throw fail(path, "expected true or false, found \(Self.article(value))")
    }

    func strings(_ value: Value?, _ path: String) throws(KubeError) -> [String] {
        var result: [String] = []
        for (index, item) in try array(value, path).enumerated() {
            guard let text = try string(item, "\(path)[\(index)]") else { continue }
            result.append(text)
        }
        return result
    }

    /// Base64 `*-data` fields; whitespace and line breaks inside are allowed.
    func data(_ value: Value?, _ path: String) throws(KubeError) -> Data? {
        guard let text = try string(value, path) else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { throw fail(path, "is not valid base64") }
        return data
    }

    /// A file path made absolute against the kubeconfig's directory, as kubectl resolves them.
    func path(_ value: Value?, _ path: String) throws(KubeError) -> String? {
        guard let text = try string(value, path), !text.isEmpty else { return nil }
        return resolve(text)
    }

    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") { return (path as NSString).expandingTildeInPath }
        let base = directory.isEmpty ? FileManager.default.currentDirectoryPath : directory
        return ((base as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}

import Foundation

/// A bearer token kept in a file (a projected service-account token, `tokenFile`), re-read when the file changes.
struct TokenFileSource: Sendable {
    let path: String
    private(set) var token: String?
    private(set) var modified: Date?
    private(set) var size: Int?

    init(path: String) {
        self.path = path
    }

    /// The current token, reading the file again when its modification time or size changed (or `force`).
    mutating func current(force: Bool = false) throws(KubeError) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let newModified = attributes?[.modificationDate] as? Date
        let newSize = (attributes?[.size] as? NSNumber)?.intValue
        if !force, let token, newModified == modified, newSize == size { return token }
        let data = try Kubeconfig.readFile(path, what: "tokenFile")
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw KubeError(.credentials, "the token file \(path) is empty", file: path) }
        token = text
        modified = newModified
        size = newSize
        return text
    }
}

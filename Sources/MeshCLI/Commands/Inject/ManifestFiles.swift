import Foundation
import MeshCore

/// Reading manifests from a file, a directory or standard input, and writing results atomically.
enum ManifestFiles {
    /// Extensions read from a directory, recursively.
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    /// The documents of `path` (`-` for standard input; a directory is read recursively in name order).
    ///
    /// - Throws: `MeshCoreError` (`.io` for a missing file, `.malformedYAML` with line and column, naming the
    ///   file).
    static func readDocuments(_ path: String) throws(MeshCoreError) -> [Value] {
        var documents: [Value] = []
        for file in try files(path) {
            let data = try read(file)
            do {
                documents += try YAML.parseDocuments(bytes: data)
            } catch {
                var located = error
                located.message = "\(file == "-" ? "<stdin>" : file): \(error.message)"
                throw located
            }
        }
        return documents
    }

    static func files(_ path: String) throws(MeshCoreError) -> [String] {
        if path == "-" { return ["-"] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MeshCoreError(.io, "\(path): no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw MeshCoreError(.io, "\(path): cannot read directory")
        }
        var result: [String] = []
        for case let relative as String in enumerator {
            let ext = relative.split(separator: ".").last.map { String($0).lowercased() } ?? ""
            guard extensions.contains(ext) else { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                result.append(full)
            }
        }
        return result.sorted()
    }

    /// The bytes of a file, or of standard input for `-`.
    static func read(_ path: String) throws(MeshCoreError) -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MeshCoreError(.io, "\(path): cannot read file")
        }
        return data
    }

    /// The text of a file, or `nil` when no path is given.
    static func readText(_ path: String?) throws(MeshCoreError) -> String? {
        guard let path else { return nil }
        return String(decoding: try read(path), as: UTF8.self)
    }

    /// Writes `text` to `path` atomically (see `AtomicFile`): readers never see a partial file, and a failure
    /// leaves the old file in place.
    static func writeAtomically(_ text: String, to path: String) throws(MeshCoreError) {
        try AtomicFile.write(Array(text.utf8), to: path)
    }
}

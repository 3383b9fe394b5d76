import Foundation
import MeshCore

/// Reads YAML or JSON documents from files, directories (recursively: `.yaml`, `.yml`, `.json`) and standard
/// input (`-`), remembering where each document came from so problems can name the file and document.
struct ManifestSource {
    /// One document and its origin.
    struct Document {
        /// The file path, or `<stdin>`.
        var file: String
        /// 1-based position of the document in its file (items of a `List` share their list's position).
        var index: Int
        var value: Value
    }

    /// A file that could not be read or parsed.
    struct Failure: Error, CustomStringConvertible, ExitCodeProviding {
        var file: String
        var error: MeshCoreError

        var description: String { "\(file): \(error)" }
        var exitCode: ExitCode { error.exitCode }
    }

    /// The documents that parsed, and the files that did not.
    var documents: [Document] = []
    var failures: [Failure] = []

    /// Reads every path; a path that does not exist is a failure of its own.
    init(paths: [String], standardInput: () -> [UInt8] = { Array(FileHandle.standardInput.readDataToEndOfFile()) }) {
        for path in paths {
            if path == "-" {
                add(file: "<stdin>", bytes: standardInput())
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(Failure(file: path, error: MeshCoreError(.io, "no such file or directory")))
                continue
            }
            let files = isDirectory.boolValue ? Self.manifestFiles(in: path) : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    failures.append(Failure(file: file, error: MeshCoreError(.io, "cannot read the file")))
                    continue
                }
                add(file: file, bytes: Array(data))
            }
        }
    }

    private mutating func add(file: String, bytes: [UInt8]) {
        do {
            let values = try YAML.parseDocuments(bytes: bytes)
            for (offset, value) in values.enumerated() {
                if value["kind"]?.stringValue == "List", let items = value["items"]?.arrayValue {
                    documents += items.map { Document(file: file, index: offset + 1, value: $0) }
                } else {
                    documents.append(Document(file: file, index: offset + 1, value: value))
                }
            }
        } catch {
            failures.append(Failure(file: file, error: error))
        }
    }

    private static func manifestFiles(in directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let lower = relative.lowercased()
            guard lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json") else { continue }
            files.append((directory as NSString).appendingPathComponent(relative))
        }
        return files.sorted()
    }
}

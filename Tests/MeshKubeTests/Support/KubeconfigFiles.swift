import Foundation

/// Writes kubeconfig files into a fresh directory for a test.
struct KubeconfigFiles {
    let directory: URL

    init() throws {
        directory = try TestTools.temporaryDirectory()
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

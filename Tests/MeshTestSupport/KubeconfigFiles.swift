import Foundation

/// Writes kubeconfig files into a fresh directory for a test.
public struct KubeconfigFiles {
    public let directory: URL

    public init() throws {
        directory = try TestTools.temporaryDirectory()
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

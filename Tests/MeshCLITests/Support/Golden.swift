import MeshTestSupport
import Foundation
import Testing

/// Compares text with files committed in the repository; `MESHCTL_UPDATE_GOLDEN=1` rewrites them (the run still
/// fails, so a rewrite is always looked at before it is committed).
enum Golden {
    /// The package root (this file is `Tests/MeshCLITests/Support/Golden.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let updating = ProcessInfo.processInfo.environment["MESHCTL_UPDATE_GOLDEN"] == "1"

    /// The command that rewrites every golden and generated file.
    static let regenerateCommand = "MESHCTL_UPDATE_GOLDEN=1 swift test --filter 'GoldenHelpTests|GeneratedFilesTests'"

    static func url(_ relativePath: String) -> URL {
        packageRoot.appendingPathComponent(relativePath)
    }

    /// Records an issue with a unified diff when `actual` differs from the file (or the file is missing).
    static func check(_ actual: String, against relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = url(relativePath)
        let expected = try? String(contentsOf: file, encoding: .utf8)
        guard expected != actual else { return }
        if updating {
            try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("rewrote \(relativePath); review the change and run the tests again", sourceLocation: sourceLocation)
            return
        }
        let message = expected == nil
            ? "\(relativePath) is missing"
            : "\(relativePath) differs from what the code generates:\n\(diff(expected ?? "", actual))"
        Issue.record("\(message)\nRegenerate with: \(regenerateCommand)", sourceLocation: sourceLocation)
    }

    /// A unified diff of two texts (via diff(1)), or a plain note when diff is unavailable.
    static func diff(_ expected: String, _ actual: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshctl-golden-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let left = directory.appendingPathComponent("committed"), right = directory.appendingPathComponent("generated")
        try? expected.write(to: left, atomically: true, encoding: .utf8)
        try? actual.write(to: right, atomically: true, encoding: .utf8)
        let result = try? Subprocess.run("/usr/bin/diff", ["-u", left.path, right.path])
        return result?.standardOutput ?? "(diff(1) not available)"
    }
}

import Foundation

/// The `meshctl` executable that `swift test` built next to the test bundle.
enum MeshctlBinary {
    static let directory: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().path,
            Bundle.main.bundleURL.deletingLastPathComponent().path,
            Golden.url(".build/debug").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/meshctl") } ?? candidates[2]
    }()

    static var path: String { "\(directory)/meshctl" }
}

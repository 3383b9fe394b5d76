import MeshCore

@testable import MeshManifest

/// Istio's files under `<package>/../shared/istio`, read at run time (never copied into the project).
struct IstioFixtures {
    let root: String

    /// The shared Istio tree, or `nil` when it is absent.
    static func locate(file: String = #filePath) -> IstioFixtures? {
        var components = file.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(3)  // Tests/MeshManifestConformanceTests/<file>
        let root = components.joined(separator: "/") + "/../shared/istio"
        return FileText.read(root + "/derived/kube-inject-golden-settings/cases.yaml") == nil ? nil : IstioFixtures(root: root)
    }

    func text(_ path: String) -> String? {
        FileText.read(root + "/" + path)
    }
}

/// Reads a whole file as UTF-8 without Foundation.
enum FileText {
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation
import MeshPKI
import Synchronization
import X509

/// Deterministic sources and shared material for MeshPKI tests.
enum TestPKI {
    /// A fixed "now" for deterministic tests: 2030-01-01T00:00:00Z.
    static let fixedNow = Date(timeIntervalSince1970: 1_893_456_000)

    /// Sources with a fixed clock, counting serials and fresh small keys (RSA keys are 2048 bits unless asked).
    static func sources(now: Date = fixedNow) -> PKISources {
        let counter = Mutex<UInt64>(0)
        return PKISources(
            now: { now },
            serial: { Certificate.SerialNumber(counter.withLock { $0 += 1; return $0 }) },
            keys: .system)
    }

    /// Istio's profiles with smaller keys, so tests stay fast.
    static let rootProfile: CAProfile = {
        var profile = CAProfile.istioRoot
        profile.key = .rsa2048
        return profile
    }()

    static func intermediateProfile(cluster: String = "cluster1", key: KeySpec = .p256, days: Int = 730) -> CAProfile {
        var profile = CAProfile.istioIntermediate(cluster: cluster)
        profile.key = key
        profile.validityDays = days
        return profile
    }

    /// A root and an intermediate made at `fixedNow`, shared by the tests that only read them.
    static let shared: (root: SigningCA, intermediate: SigningCA) = {
        let generator = CAGenerator(sources: sources())
        do {
            let root = try generator.makeRoot(rootProfile)
            return (root, try generator.makeIntermediate(intermediateProfile(), signedBy: root))
        } catch {
            fatalError("test fixture: \(error)")
        }
    }()

    /// A new empty temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meshpki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `files` (name → text) into a new temporary directory and returns it.
    static func directory(with files: [String: String]) throws -> String {
        let directory = try temporaryDirectory()
        for (name, text) in files {
            try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
        }
        return directory
    }

    /// The bundle files of `ca` as text.
    static func bundleFiles(_ ca: SigningCA) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try MaterialFiles.intermediate(ca).entries.map { ($0.name, $0.text) })
    }

    /// Istio's sample plug-in bundle next to the package (`../shared/istio/samples/certs`), when present.
    static let istioSamples: String? = {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = package.deletingLastPathComponent().appendingPathComponent("shared/istio/samples/certs").path
        return FileManager.default.fileExists(atPath: path + "/ca-cert.pem") ? path : nil
    }()
}

import Foundation
import Glibc
import MeshControlPlane
import MeshCore
import MeshKube
import MeshTestSupport
import Testing

/// Kills a `meshctl local serve` process with SIGKILL in the middle of a stream of creates, restarts it on the
/// same data directory, and checks that every acknowledged object is there.
struct DurabilityTests {
    static var meshctl: String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().path,
            Bundle.main.bundleURL.deletingLastPathComponent().path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug").path,
        ]
        return candidates.map { "\($0)/meshctl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func start(_ binary: String, _ directory: URL, port: Int) throws -> (Process, ClientConfig) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["local", "serve", "--data-dir", directory.path, "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["MESHCTL_ISTIO_CRDS"] = ""
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let files = DataDirectory(directory.path)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let ca = FileManager.default.contents(atPath: files.caCertificate), FileManager.default.fileExists(atPath: files.serverFile),
               case let config = ClientConfig(
                server: "https://127.0.0.1:\(port)",
                tls: TLSSettings(caData: ca, clientCertificateData: FileManager.default.contents(atPath: files.adminCertificate),
                                 clientKeyData: FileManager.default.contents(atPath: files.adminKey)), requestTimeout: .seconds(5)),
               let client = try? KubeClient(config: config),
               (try? client.send("GET", path: "/readyz", accept: "text/plain")) != nil {
                return (process, config)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestTools.Failure(description: "meshctl local serve did not become ready")
    }

    @Test func everyAcknowledgedCreateSurvivesSIGKILL() throws {
        let binary = try #require(Self.meshctl, "the meshctl binary was not built")
        let directory = try TestTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = Int.random(in: 20_000..<40_000)
        let (process, config) = try start(binary, directory, port: port)
        let acknowledged = LockedNames()
        let writer = Thread {
            guard let client = try? KubeClient(config: config) else { return }
            for index in 0..<100_000 {
                let object: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("d-\(index)")], "data": ["i": .string(String(index))]]
                guard (try? client.create(.configMaps, object, namespace: "default")) != nil else { return }
                acknowledged.add("d-\(index)")
            }
        }
        writer.start()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.5)
        let names = acknowledged.all
        #expect(names.count > 10)

        let (again, restartedConfig) = try start(binary, directory, port: port)
        let restarted = try KubeClient(config: restartedConfig)
        defer { kill(again.processIdentifier, SIGKILL); again.waitUntilExit() }
        let stored = Set(try restarted.list(.configMaps, namespace: "default").items.map { KubeObject($0).name })
        let lost = names.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(5))")
    }
}

private final class LockedNames: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func add(_ name: String) { lock.withLock { names.append(name) } }
    var all: [String] { lock.withLock { names } }
}

import Foundation
import MeshTestSupport

/// Temporary directories and the stand-in API server (MeshTestSupport's `TestServer`) for pki tests.
enum PKITestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meshctl-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let curl: String? = ["/usr/bin/curl", "/usr/local/bin/curl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static var canRunServer: Bool { TestTools.python3 != nil && curl != nil }

    /// A plain-HTTP API server on 127.0.0.1 with a generic object store; it stops itself after two minutes.
    final class APIServer: @unchecked Sendable {
        let port: Int
        let kubeconfig: String
        private let server: TestServer

        init() throws {
            server = try TestServer(tls: nil, arguments: ["--anonymous"])
            port = server.port
            kubeconfig = try temporaryDirectory() + "/kubeconfig"
            try """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: http://127.0.0.1:\(port)
                users:
                - name: test
                  user: {}
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: test
                current-context: test

                """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        }

        /// `curl` against the server: the JSON body it answers.
        func request(_ method: String, _ path: String, body: String? = nil) throws -> [String: Any] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl ?? "/usr/bin/curl")
            var arguments = ["-s", "-X", method, "http://127.0.0.1:\(port)\(path)"]
            if let body { arguments += ["-H", "Content-Type: application/json", "-d", body] }
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        }

        /// The methods and paths of the requests so far that wrote something.
        func writes() throws -> [String] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: curl ?? "/usr/bin/curl")
            process.arguments = ["-s", "http://127.0.0.1:\(port)/_requests"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let log = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
            return log.compactMap { entry in
                guard let method = entry["method"] as? String, method != "GET" else { return nil }
                return "\(method) \(entry["path"] as? String ?? "")"
            }
        }
    }
}

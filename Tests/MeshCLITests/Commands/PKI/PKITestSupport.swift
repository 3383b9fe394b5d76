import Foundation

/// Temporary directories and the stand-in API server (MeshKube's `Fixtures/kube_server.py`) for pki tests.
enum PKITestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meshctl-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let python3: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let curl: String? = ["/usr/bin/curl", "/usr/local/bin/curl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static var canRunServer: Bool { python3 != nil && curl != nil }

    /// A plain-HTTP API server on 127.0.0.1 with a generic object store; it stops itself after two minutes.
    final class APIServer: @unchecked Sendable {
        let port: Int
        let kubeconfig: String
        private let process = Process()

        init() throws {
            process.executableURL = URL(fileURLWithPath: python3 ?? "/usr/bin/python3")
            process.arguments = [
                packageRoot.appendingPathComponent("Tests/MeshKubeTests/Fixtures/kube_server.py").path,
                "--anonymous", "--lifetime", "120",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while true {
                let byte = output.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
                line.append(byte)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
                process.terminate()
                throw CocoaError(.fileReadUnknown)
            }
            self.port = port
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

        deinit {
            kill(process.processIdentifier, SIGKILL)
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

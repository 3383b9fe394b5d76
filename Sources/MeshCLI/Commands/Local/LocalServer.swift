import Foundation
import Glibc
import MeshControlPlane
import MeshCore
import MeshKube

/// What `local up|down|status` know about a running control plane: its pid and endpoint (from the files in
/// the data directory), and a client with the administrator certificate.
struct LocalServer {
    let directory: DataDirectory

    /// The contents of `server.json`, written by the server once it listens.
    struct Info {
        var pid: Int32
        var host: String
        var port: Int
        var startedAt: Double
        var endpoint: String { "https://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
    }

    var info: Info? {
        guard let data = FileManager.default.contents(atPath: directory.serverFile),
              let value = try? JSON.parse(bytes: Array(data)),
              let pid = value["pid"]?.intValue, let port = value["port"]?.intValue else { return nil }
        return Info(pid: Int32(pid), host: value["host"]?.stringValue ?? "127.0.0.1", port: port,
                    startedAt: value["startedAt"]?.doubleValue ?? 0)
    }

    /// The pid of the running server, if its pid file names a live process.
    var runningPID: Int32? {
        guard let text = try? String(contentsOfFile: directory.pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return nil }
        return kill(pid, 0) == 0 || errno == EPERM ? pid : nil
    }

    func file(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    /// A client for the server with the administrator certificate.
    func client(endpoint: String, timeout: Duration = .seconds(5)) throws -> KubeClient {
        guard let ca = file(directory.caCertificate), let cert = file(directory.adminCertificate),
              let key = file(directory.adminKey) else {
            throw KubeError(.noConfiguration, "the local control plane's certificates are missing in \(directory.path)")
        }
        let config = ClientConfig(server: endpoint, tls: TLSSettings(caData: ca, clientCertificateData: cert, clientKeyData: key),
                                  userName: ControlPlane.adminUser, requestTimeout: timeout)
        return try KubeClient(config: config)
    }

    /// Whether `/readyz` answers ok.
    func isReady(endpoint: String) -> Bool {
        guard let client = try? client(endpoint: endpoint, timeout: .seconds(2)),
              let response = try? client.send("GET", path: "/readyz", accept: "text/plain") else { return false }
        return response.status == 200
    }
}

import Foundation

/// The files of a local control plane in its data directory.
public struct DataDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public var database: String { path + "/store.db" }
    public var caCertificate: String { path + "/ca.crt" }
    public var caKey: String { path + "/ca.key" }
    public var adminCertificate: String { path + "/admin.crt" }
    public var adminKey: String { path + "/admin.key" }
    public var pidFile: String { path + "/meshctl.pid" }
    public var logFile: String { path + "/meshctl.log" }
    /// Written by the server once it listens: pid, endpoint and start time, as JSON.
    public var serverFile: String { path + "/server.json" }
    /// Written by the mesh CA whenever it changes: which CA signs, its root fingerprint, a rejected bundle.
    public var meshCAFile: String { path + "/mesh-ca.json" }

    func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }
}

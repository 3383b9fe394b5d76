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

    func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// The cluster CA (API serving and client certificates): loaded, or created with an admin client certificate.
    func clusterCA() throws -> LocalCA {
        let fm = FileManager.default
        if fm.fileExists(atPath: caCertificate), fm.fileExists(atPath: caKey) {
            return try LocalCA(certificatePEM: String(contentsOfFile: caCertificate, encoding: .utf8),
                               keyPEM: String(contentsOfFile: caKey, encoding: .utf8))
        }
        let ca = try LocalCA.generate(commonName: "meshctl local cluster CA", organization: "meshctl")
        let admin = try ca.issue(commonName: ControlPlane.adminUser, organizations: ["system:masters"], server: false, days: 3650)
        try write(ca.keyPEM, to: caKey)
        try write(LocalCA.pem(admin.certificate), to: adminCertificate)
        try write(admin.key.pemRepresentation, to: adminKey)
        try write(ca.certificatePEM, to: caCertificate)
        return ca
    }

    private func write(_ text: String, to file: String) throws {
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError("cannot write \(file)")
        }
    }
}

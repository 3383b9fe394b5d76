import Foundation

/// Throwaway certificates made with openssl once per test run: a CA, a server certificate for 127.0.0.1,
/// a server certificate valid only for `api.mesh.test`, a client certificate, and an unrelated CA.
struct TestPKI: Sendable {
    let directory: URL

    var caCert: URL { directory.appendingPathComponent("ca.crt") }
    var otherCACert: URL { directory.appendingPathComponent("other-ca.crt") }
    var serverCert: URL { directory.appendingPathComponent("server.crt") }
    var serverKey: URL { directory.appendingPathComponent("server.key") }
    var namedServerCert: URL { directory.appendingPathComponent("named.crt") }
    var namedServerKey: URL { directory.appendingPathComponent("named.key") }
    var clientCert: URL { directory.appendingPathComponent("client.crt") }
    var clientKey: URL { directory.appendingPathComponent("client.key") }

    func data(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    static let shared: Result<TestPKI, TestTools.Failure> = {
        do { return .success(try make()) } catch {
            return .failure(TestTools.Failure(description: "cannot make test certificates: \(error)"))
        }
    }()

    static func make() throws -> TestPKI {
        guard let openssl = TestTools.openssl else { throw TestTools.Failure(description: "openssl is missing") }
        let dir = try TestTools.temporaryDirectory()
        func ssl(_ args: [String]) throws { try TestTools.run(openssl, args, in: dir) }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "other-ca"] {
            try ssl(["req", "-x509"] + ec + ["-keyout", "\(ca).key", "-out", "\(ca).crt", "-subj", "/CN=\(ca)", "-days", "2"])
        }
        let leaves: [(String, String, String)] = [
            ("server", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth"),
            ("named", "/CN=api.mesh.test", "subjectAltName=DNS:api.mesh.test\nextendedKeyUsage=serverAuth"),
            ("client", "/O=devs/CN=alice", "extendedKeyUsage=clientAuth"),
        ]
        for (name, subject, extensions) in leaves {
            try ssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try Data(extensions.utf8).write(to: dir.appendingPathComponent("\(name).ext"))
            try ssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
        return TestPKI(directory: dir)
    }
}

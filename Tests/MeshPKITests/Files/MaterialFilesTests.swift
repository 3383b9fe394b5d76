import Foundation
import MeshPKI
import Testing

@Suite struct MaterialFilesTests {
    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func keysAre0600AndCertificates0644() throws {
        let directory = try TestPKI.temporaryDirectory() + "/new/sub"
        let written = try MaterialFiles.intermediate(TestPKI.shared.intermediate).write(to: directory, force: false)
        #expect(written.map { URL(fileURLWithPath: $0).lastPathComponent } == ["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"])
        #expect(try mode("\(directory)/ca-key.pem") == 0o600)
        #expect(try mode("\(directory)/ca-cert.pem") == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 4)
    }

    @Test func existingFilesAreNotOverwrittenWithoutForce() throws {
        let directory = try TestPKI.directory(with: ["root-key.pem": "precious\n"])
        let files = try MaterialFiles.root(TestPKI.shared.root)
        let error = #expect(throws: PKIError.self) { try files.write(to: directory, force: false) }
        #expect(error?.code == .fileExists)
        #expect(error?.message.contains("root-key.pem") == true)
        #expect(error?.message.contains("--force") == true)
        #expect(try String(contentsOfFile: "\(directory)/root-key.pem", encoding: .utf8) == "precious\n")
        // Nothing at all was written.
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/root-cert.pem"))
    }

    @Test func forceReplacesAndTightensTheMode() throws {
        let directory = try TestPKI.directory(with: ["root-key.pem": "old\n"])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(directory)/root-key.pem")
        try MaterialFiles.root(TestPKI.shared.root).write(to: directory, force: true)
        #expect(try String(contentsOfFile: "\(directory)/root-key.pem", encoding: .utf8).hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(try mode("\(directory)/root-key.pem") == 0o600)
    }

    @Test func aFileWhereTheDirectoryShouldBeIsAnError() throws {
        let directory = try TestPKI.directory(with: ["out": "x"])
        let error = #expect(throws: PKIError.self) { try MaterialFiles.root(TestPKI.shared.root).write(to: "\(directory)/out", force: false) }
        #expect(error?.code == .io)
    }
}

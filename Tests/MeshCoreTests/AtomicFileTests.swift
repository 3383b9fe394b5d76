import Foundation
import MeshCore
import Testing

@Suite struct AtomicFileTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func replacesAFileAndKeepsItsMode() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config").path
        try AtomicFile.write(Array("one".utf8), to: file, permissions: 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "one")
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file)
        try AtomicFile.write(Array("two".utf8), to: file)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "two")
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["config"])
    }

    @Test func followsSymbolicLinks() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = dir.appendingPathComponent("dotfiles-config").path
        let link = dir.appendingPathComponent("config").path
        try "old".write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "dotfiles-config")
        try AtomicFile.write(Array("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "dotfiles-config")
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new")
    }

    @Test func aDeviceIsWrittenInPlaceNotReplaced() throws {
        try AtomicFile.write(Array("discarded".utf8), to: "/dev/null")
        var status = stat()
        #expect(stat("/dev/null", &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func aMissingDirectoryIsAnIOError() {
        let error = #expect(throws: MeshCoreError.self) {
            try AtomicFile.write(Array("x".utf8), to: "/nonexistent-dir/file")
        }
        #expect(error?.code == .io)
        #expect(error?.exitCode == .failure)
    }
}

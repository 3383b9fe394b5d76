import MeshTestSupport
import Foundation
import MeshCLI
import MeshCore
import Testing

/// Every generated man page renders with man(1) without a warning.
@Suite struct ManPageRenderingTests {
    static let man = TestTools.find("man")

    @Test(.enabled(if: man != nil, "man(1) is not installed (apt-get install man-db)"))
    func pagesRenderWithoutWarnings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshctl-man-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for page in ManPageGenerator(root: Meshctl.root, version: "1.2.3").pages() {
            let file = directory.appendingPathComponent(page.fileName)
            try page.text.write(to: file, atomically: true, encoding: .utf8)
            let environment = ["MANWIDTH": "100", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MAN_KEEP_FORMATTING": "0"]
            let result = try Subprocess.run(try #require(Self.man), ["--warnings", "-E", "UTF-8", "-l", file.path], environment: environment)
            #expect(result.status == 0, "\(page.fileName): man exited \(result.status)")
            #expect(result.standardError.isEmpty, "\(page.fileName): \(result.standardError)")
            #expect(Self.plain(result.standardOutput).contains("NAME"), "\(page.fileName) rendered no NAME section")
        }
    }

    /// Rendered text without the overstrike (`N\bN`) that man uses for bold when writing to a pipe.
    static func plain(_ text: String) -> String {
        var result: [Character] = []
        for character in text {
            if character == "\u{8}" {
                _ = result.popLast()
            } else {
                result.append(character)
            }
        }
        return String(result)
    }

    @Test func pageHasTheUsualSections() {
        let text = ManPageGenerator(root: Meshctl.root, version: "1.2.3").pages().first { $0.fileName == "meshctl-version.1" }?.text ?? ""
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS", ".SH GLOBAL OPTIONS", ".SH EXAMPLES", ".SH SEE ALSO"] {
            #expect(text.contains(section), "missing \(section)")
        }
        #expect(text.contains("meshctl\\-version \\- Print the version of meshctl"))
        #expect(text.contains(#"\fB\-o\fR, \fB\-\-output\fR \fIFORMAT\fR"#))
    }
}

import Foundation
import MeshCLI
import MeshCore
import Testing

/// The committed completion scripts and man pages are exactly what the command specs generate.
@Suite struct GeneratedFilesTests {
    @Test(arguments: [("bash", "completions/meshctl.bash"), ("zsh", "completions/_meshctl"), ("fish", "completions/meshctl.fish")])
    func completionScriptIsCurrent(shell: String, file: String) async {
        let result = await InProcess.run(["completion", shell])
        #expect(result.code == .ok)
        Golden.check(result.standardOutput, against: file)
    }

    @Test func manPagesAreCurrent() throws {
        let pages = ManPageGenerator(root: Meshctl.root, version: BuildInfo.current.version).pages()
        for page in pages {
            Golden.check(page.text, against: "man/man1/\(page.fileName)")
        }
        let directory = Golden.url("man/man1")
        let committed = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let stale = Set(committed).subtracting(pages.map(\.fileName))
        if Golden.updating {
            for name in stale { try? FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
        }
        #expect(stale.isEmpty, "man pages for commands that no longer exist: \(stale.sorted()); regenerate with: \(Golden.regenerateCommand)")
    }

    @Test func everyCommandHasAManPage() {
        let names = ManPageGenerator(root: Meshctl.root, version: "test").pages().map(\.fileName)
        #expect(names.contains("meshctl.1"))
        #expect(names.contains("meshctl-version.1"))
        #expect(names.contains("meshctl-completion.1"))
        #expect(!names.contains { $0.contains("__complete") })
    }
}

@testable import MeshCLI
import Testing

/// The help of every visible command, pinned by golden files under `Tests/MeshCLITests/Golden/help/`.
@Suite struct GoldenHelpTests {
    static let paths = CommandPath.allVisible(from: Meshctl.root)

    static func goldenName(_ path: CommandPath) -> String {
        path.commands.map(\.name).joined(separator: "-")
    }

    /// The words after `meshctl` for each path (command names may contain dashes, so they are not split back
    /// out of the golden file name).
    @Test(arguments: paths.map { $0.commands.dropFirst().map(\.name).joined(separator: " ") })
    func helpMatchesGolden(command: String) async throws {
        let words = command.split(separator: " ").map(String.init)
        let name = (["meshctl"] + words).joined(separator: "-")
        let viaFlag = await InProcess.run(words + ["--help"])
        #expect(viaFlag.code == .ok)
        #expect(viaFlag.standardError.isEmpty)
        Golden.check(viaFlag.standardOutput, against: "Tests/MeshCLITests/Golden/help/\(name).txt")

        let viaHelpCommand = await InProcess.run(["help"] + words)
        #expect(viaHelpCommand.standardOutput == viaFlag.standardOutput)
        let short = await InProcess.run(words + ["-h"])
        #expect(short.standardOutput == viaFlag.standardOutput)
    }

    @Test func bareMeshctlPrintsRootHelp() async {
        let bare = await InProcess.run([])
        let help = await InProcess.run(["--help"])
        #expect(bare.code == .ok)
        #expect(bare.standardOutput == help.standardOutput)
        #expect(bare.standardOutput.contains("Usage:\n  meshctl [command] [flags]"))
    }

    @Test func hiddenCommandsStayOutOfHelp() async {
        let help = await InProcess.run(["--help"])
        #expect(!help.standardOutput.contains("__complete"))
    }

    @Test func helpOfAnUnknownCommandIsAUsageError() async {
        let result = await InProcess.run(["help", "verison"])
        #expect(result.code == .usage)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("Error: unknown command \"verison\" — did you mean \"version\"?\n"))
    }
}

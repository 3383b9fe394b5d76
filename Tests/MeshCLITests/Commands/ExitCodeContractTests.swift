import MeshTestSupport
import Foundation
import MeshCLI
import MeshCore
import Testing

/// The exit code table scripts depend on, and what each outcome prints where.
@Suite struct ExitCodeContractTests {
    @Test func theTableIsStable() {
        let table = Dictionary(uniqueKeysWithValues: ExitCode.allCases.map { ($0, $0.rawValue) })
        #expect(table == [.ok: 0, .failure: 1, .usage: 64, .dataError: 65, .problemsFound: 79])
    }

    @Test(arguments: [
        ["verison"], ["version", "--bogus"], ["version", "-o", "xml"], ["completion"], ["completion", "tcsh"],
        ["--request-timeout", "soon", "version"], ["-n"], ["version", "extra"], ["--color=sometimes", "version"],
        ["help", "nope"], ["--verbose=-1", "version"],
    ])
    func usageErrorsExit64WithUsageAndHelpPointer(arguments: [String]) async {
        let result = await InProcess.run(arguments)
        #expect(result.code == .usage)
        #expect(result.standardOutput.isEmpty)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 3, "\(result.standardError)")
        #expect(lines.first?.hasPrefix("Error: ") == true)
        #expect(lines.dropFirst().first?.hasPrefix("Usage: meshctl") == true)
        #expect(lines.last?.hasPrefix("See 'meshctl") == true)
        #expect(lines.last?.hasSuffix(" --help'.") == true)
    }

    @Test func errorPrefixIsRedOnlyWhenColourIsOn() async {
        let plain = await InProcess.run(["nope"], environment: [:], terminal: true)
        #expect(plain.standardError.hasPrefix("\u{1B}[31mError:\u{1B}[0m"))
        let noColor = await InProcess.run(["nope"], environment: ["NO_COLOR": "1"], terminal: true)
        #expect(noColor.standardError.hasPrefix("Error: "))
        let never = await InProcess.run(["--color=never", "nope"], terminal: true)
        #expect(never.standardError.hasPrefix("Error: "))
        let always = await InProcess.run(["--color", "always", "nope"], terminal: false)
        #expect(always.standardError.hasPrefix("\u{1B}[31m"))
        let pipe = await InProcess.run(["nope"], terminal: false)
        #expect(pipe.standardError.hasPrefix("Error: "))
    }

    static let colourCases: [(ColorMode, Bool, [String: String], Bool)] = [
        (.auto, true, [:], true), (.auto, false, [:], false), (.auto, true, ["NO_COLOR": "x"], false),
        (.auto, true, ["NO_COLOR": ""], true), (.auto, true, ["TERM": "dumb"], false),
        (.always, false, ["NO_COLOR": "1"], true), (.never, true, [:], false),
    ]

    @Test(arguments: colourCases)
    func colourRules(mode: ColorMode, terminal: Bool, environment: [String: String], enabled: Bool) {
        #expect(mode.enabled(isTerminal: terminal, environment: environment) == enabled)
    }

    struct DataProblem: Error, ExitCodeProviding, CustomStringConvertible {
        var exitCode: ExitCode { .dataError }
        var description: String { "bad YAML at line 3" }
    }

    struct PlainFailure: Error, CustomStringConvertible {
        var description: String { "connection refused" }
    }

    static let failingTree = CommandSpec(
        name: "meshctl", abstract: "test", options: [GlobalOptions.help, GlobalOptions.color],
        subcommands: [
            CommandSpec(name: "data", abstract: "throws a data error", run: { _, _ in throw DataProblem() }),
            CommandSpec(name: "plain", abstract: "throws a plain error", run: { _, _ in throw PlainFailure() }),
            CommandSpec(name: "found", abstract: "finds problems", run: { _, _ in .problemsFound }),
        ])

    static let outcomeCases: [(String, ExitCode, String)] = [
        ("data", .dataError, "Error: bad YAML at line 3\n"), ("plain", .failure, "Error: connection refused\n"),
        ("found", .problemsFound, ""),
    ]

    @Test(arguments: outcomeCases)
    func commandOutcomesMapToExitCodes(command: String, code: ExitCode, standardError: String) async {
        let output = BufferOutput(), error = BufferOutput()
        let context = CommandContext(standardOutput: output, standardError: error)
        #expect(await Meshctl.run([command], context: context, root: Self.failingTree) == code)
        #expect(error.text == standardError)
        #expect(output.text.isEmpty)
    }

    /// The real process: exit status, streams, and never a crash or a backtrace, whatever the input.
    static let processCases: [([String], Int32)] = [
        ([], 0), (["version", "--client"], 0), (["nope"], 64), (["version", "-o"], 64),
        (["--", "version"], 64), (["-"], 64), (["\u{0}"], 64), (["--=x"], 64), (["-="], 64), (["---"], 64),
        (["version", "--client=maybe"], 64), (["help", "version", "version"], 64), ([String(repeating: "x", count: 5_000)], 64),
        (["completion", "bash", "--color=never"], 0),
    ]

    @Test(arguments: processCases)
    func processExitsCleanly(arguments: [String], status: Int32) throws {
        let result = try Subprocess.run(MeshctlBinary.path, arguments, environment: ["PATH": "/usr/bin:/bin"])
        #expect(!result.crashed, "crashed: \(result.standardError)")
        #expect(result.status == status, "\(arguments): \(result.standardError)")
        #expect(!result.standardError.contains("Fatal error"))
        #expect(!result.standardError.contains("backtrace"))
        if status != 0 { #expect(result.standardOutput.isEmpty) }
    }
}

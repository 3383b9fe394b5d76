import MeshCLI
import MeshCore

/// Runs meshctl command lines in-process with captured streams.
enum InProcess {
    struct Result {
        var code: ExitCode
        var standardOutput: String
        var standardError: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], terminal: Bool = false) async -> Result {
        let output = BufferOutput(), error = BufferOutput()
        let context = CommandContext(
            standardOutput: output, standardError: error, environment: environment,
            standardOutputIsTerminal: terminal, standardErrorIsTerminal: terminal)
        let code = await Meshctl.run(arguments, context: context)
        return Result(code: code, standardOutput: output.text, standardError: error.text)
    }

    static func run(_ line: String) async -> Result {
        await run(line.split(separator: " ").map(String.init))
    }
}

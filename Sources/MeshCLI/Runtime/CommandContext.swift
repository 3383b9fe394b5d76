import MeshCore

/// What every command runs with: the output streams, the environment and terminal facts.
///
/// Built once at the root (`Meshctl.main` for the real process, tests with buffers), so commands never reach for
/// process globals and can be run in-process.
public struct CommandContext: Sendable {
    /// Where results go; nothing else is written there.
    public var standardOutput: any TextOutput
    /// Where errors, warnings and progress go.
    public var standardError: any TextOutput
    /// The process environment.
    public var environment: [String: String]
    /// Whether standard output is a terminal.
    public var standardOutputIsTerminal: Bool
    /// Whether standard error is a terminal.
    public var standardErrorIsTerminal: Bool

    public init(
        standardOutput: any TextOutput,
        standardError: any TextOutput,
        environment: [String: String] = [:],
        standardOutputIsTerminal: Bool = false,
        standardErrorIsTerminal: Bool = false
    ) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.environment = environment
        self.standardOutputIsTerminal = standardOutputIsTerminal
        self.standardErrorIsTerminal = standardErrorIsTerminal
    }

    /// Writes `text` and a newline to standard output.
    public func print(_ text: String) {
        standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Writes `text` and a newline to standard error.
    public func printError(_ text: String) {
        standardError.write(text.hasSuffix("\n") ? text : text + "\n")
    }
}

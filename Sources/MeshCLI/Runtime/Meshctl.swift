import Glibc
import MeshCore

/// Runs meshctl: parse, print help or run the selected command, and turn every outcome into an exit code.
///
/// Only `main` exits; everything here returns, so tests run whole command lines in-process.
public enum Meshctl {
    /// The command tree.
    public static let root: CommandSpec = CommandTree.root

    /// Runs one command line (without the program name) against a command tree and returns its exit code.
    public static func run(_ arguments: [String], context: CommandContext, root: CommandSpec = root) async -> ExitCode {
        let parser = CommandLineParser(root: root)
        let invocation: Invocation
        do {
            invocation = try parser.parse(arguments)
        } catch {
            return report(error, arguments: arguments, context: context)
        }
        let command = invocation.path.leaf
        guard !invocation.helpRequested, let run = command.run else {
            context.standardOutput.write(HelpRenderer().render(invocation.path))
            return .ok
        }
        do {
            return try await run(invocation, context)
        } catch {
            return report(error, arguments: arguments, context: context)
        }
    }

    /// Prints `Error: …` (for usage errors also the usage line and where to find help) and returns the exit code.
    private static func report(_ error: any Error, arguments: [String], context: CommandContext) -> ExitCode {
        let prefix = errorStyler(arguments: arguments, context: context).red("Error:")
        if let usage = error as? UsageError {
            context.printError("\(prefix) \(usage.message)\nUsage: \(usage.usage)\nSee '\(usage.commandPath) --help'.")
            return .usage
        }
        context.printError("\(prefix) \(describe(error))")
        return (error as? any ExitCodeProviding)?.exitCode ?? .failure
    }

    /// The text of an error for the user.
    static func describe(_ error: any Error) -> String {
        // String(describing:) uses `description` when the error is CustomStringConvertible.
        String(describing: error)
    }

    /// Colours for standard error, from `--color` when it parses (errors can happen before options are read).
    private static func errorStyler(arguments: [String], context: CommandContext) -> Styler {
        var mode = ColorMode.auto
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix("--color=") {
                mode = ColorMode(rawValue: String(argument.dropFirst(8))) ?? mode
            } else if argument == "--color", index + 1 < arguments.count {
                mode = ColorMode(rawValue: arguments[index + 1]) ?? mode
            }
        }
        return Styler(enabled: mode.enabled(isTerminal: context.standardErrorIsTerminal, environment: context.environment))
    }
}

extension Meshctl {
    /// Runs a command line against the process's standard streams and environment.
    public static func main(_ arguments: [String]) async -> ExitCode {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        let context = CommandContext(
            standardOutput: FileDescriptorOutput.standardOutput,
            standardError: FileDescriptorOutput.standardError,
            environment: environment,
            standardOutputIsTerminal: FileDescriptorOutput.standardOutput.isTerminal,
            standardErrorIsTerminal: FileDescriptorOutput.standardError.isTerminal
        )
        return await run(arguments, context: context)
    }
}

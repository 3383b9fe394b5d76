import MeshCore

/// A command line that meshctl can't accept: unknown command or flag, missing or bad value, wrong arguments.
///
/// It carries the command it happened in, so the message can end with that command's usage line and a pointer
/// to its help. Exit code 64.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible, ExitCodeProviding {
    /// What is wrong, naming the offending argument.
    public var message: String
    /// The command the error was found in (`meshctl pki`), used for the usage line and the help pointer.
    public var commandPath: String
    /// The usage line of that command.
    public var usage: String

    public init(_ message: String, commandPath: String, usage: String) {
        self.message = message
        self.commandPath = commandPath
        self.usage = usage
    }

    init(_ message: String, at path: CommandPath) {
        self.init(message, commandPath: path.displayName, usage: path.usage)
    }

    public var description: String { message }

    public var exitCode: ExitCode { .usage }
}

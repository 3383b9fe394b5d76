import MeshCore

/// A parsed command line: which command, with which options and arguments.
public struct Invocation: Sendable {
    /// The selected command and the commands above it.
    public var path: CommandPath
    /// Option values (own and inherited).
    public var options: ParsedOptions
    /// Positional arguments, in order (everything after `--` included).
    public var arguments: [String]
    /// Whether `-h`/`--help` was given: the command's help is printed instead of running it.
    public var helpRequested: Bool

    public init(path: CommandPath, options: ParsedOptions, arguments: [String], helpRequested: Bool) {
        self.path = path
        self.options = options
        self.arguments = arguments
        self.helpRequested = helpRequested
    }
}

import MeshCore

/// A positional argument of a command, declared as data.
public struct ArgumentSpec: Sendable, Hashable {
    /// How many times the argument may appear.
    public enum Arity: Sendable, Hashable {
        case required
        case optional
        /// Zero or more.
        case variadic
        /// One or more.
        case oneOrMore
    }

    /// The placeholder shown in usage (`SHELL`, `COMMAND`).
    public var name: String
    /// One line of help.
    public var help: String
    public var arity: Arity
    /// How shells complete the argument.
    public var completion: CompletionKind

    public init(_ name: String, help: String, arity: Arity = .required, completion: CompletionKind = .none) {
        self.name = name
        self.help = help
        self.arity = arity
        self.completion = completion
    }

    /// `NAME`, `[NAME]`, `[NAME...]` or `NAME...` as a usage line shows it.
    public var usage: String {
        switch arity {
        case .required: name
        case .optional: "[\(name)]"
        case .variadic: "[\(name)...]"
        case .oneOrMore: "\(name)..."
        }
    }
}

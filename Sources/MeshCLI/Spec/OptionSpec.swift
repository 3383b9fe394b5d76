import MeshCore

/// One command-line option, declared as data: its spellings, the kind of value it takes, its help and how a
/// shell completes it.
///
/// Parsing, help, completion scripts and man pages are all derived from these declarations.
public struct OptionSpec: Sendable, Hashable {
    /// What an option takes on the command line.
    public enum Kind: Sendable, Hashable {
        /// A boolean switch: `--flag`, `--flag=true|false`.
        case flag
        /// A switch that counts: `-v`, `-vv`, `--verbose`, `--verbose=3`, `-v=3`.
        case counter
        /// A single value: `--flag value`, `--flag=value`, `-f value`, `-fvalue`. The last one given wins.
        case value
        /// A value that may be given several times: every occurrence is kept, in order.
        case repeatable
    }

    /// The primary long spelling without dashes (`namespace`); also the option's identity.
    public var long: String
    /// Further long spellings accepted for compatibility (`istioNamespace`); not shown in completions.
    public var aliases: [String]
    /// The one-letter spelling (`n`), if any.
    public var short: Character?
    /// What the option takes.
    public var kind: Kind
    /// The placeholder shown for the value in help (`string`, `FILE`, `duration`).
    public var valueName: String
    /// One line of help.
    public var help: String
    /// The default shown in help; the command applies it when resolving.
    public var defaultValue: String?
    /// The only values accepted, when the value is an enumeration; checked by the parser.
    public var allowedValues: [String]
    /// How the value is checked by the parser beyond `allowedValues`.
    public var valueType: ValueType
    /// How shells complete the option's value.
    public var completion: CompletionKind
    /// Whether subcommands inherit the option (global flags).
    public var inherited: Bool
    /// Hidden options parse but are left out of help, completions and man pages.
    public var hidden: Bool

    /// How an option's value is checked at parse time.
    public enum ValueType: Sendable, Hashable {
        case string
        case integer
        /// A Go-style duration (`30s`, `1m30s`) or a whole number of seconds.
        case duration
    }

    public init(
        long: String,
        aliases: [String] = [],
        short: Character? = nil,
        kind: Kind = .value,
        valueName: String = "string",
        help: String,
        defaultValue: String? = nil,
        allowedValues: [String] = [],
        valueType: ValueType = .string,
        completion: CompletionKind? = nil,
        inherited: Bool = false,
        hidden: Bool = false
    ) {
        self.long = long
        self.aliases = aliases
        self.short = short
        self.kind = kind
        self.valueName = valueName
        self.help = help
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.valueType = valueType
        self.completion = completion ?? (allowedValues.isEmpty ? .none : .values(allowedValues))
        self.inherited = inherited
        self.hidden = hidden
    }

    /// Whether the option consumes a value (as opposed to a switch).
    public var takesValue: Bool {
        kind == .value || kind == .repeatable
    }

    /// Every long spelling, primary first.
    public var longSpellings: [String] {
        [long] + aliases
    }

    /// `-n, --namespace` as help and errors show the option.
    public var displayName: String {
        if let short { return "-\(short), --\(long)" }
        return "--\(long)"
    }
}

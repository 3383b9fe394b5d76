import MeshCore

/// The option values of one invocation, keyed by the option's primary long spelling.
///
/// Values are already checked against the option's kind, allowed values and value type by the parser; the
/// accessors only convert.
public struct ParsedOptions: Sendable, Equatable {
    private var values: [String: [String]] = [:]

    public init() {}

    /// Records one occurrence of `option`.
    mutating func record(_ option: OptionSpec, _ value: String) {
        switch option.kind {
        case .repeatable:
            values[option.long, default: []].append(value)
        case .counter:
            let previous = values[option.long]?.last.flatMap { Int($0) } ?? 0
            values[option.long] = [value == "+1" ? String(previous + 1) : value]
        case .flag, .value:
            values[option.long] = [value]
        }
    }

    /// Whether the option was given on the command line.
    public func isSet(_ option: OptionSpec) -> Bool {
        values[option.long] != nil
    }

    /// The value given last, or the option's default.
    public func string(_ option: OptionSpec) -> String? {
        values[option.long]?.last ?? option.defaultValue
    }

    /// Every value given, in order.
    public func strings(_ option: OptionSpec) -> [String] {
        values[option.long] ?? []
    }

    /// A flag's value: `true` when given without a value, `false` when not given (or its default).
    public func bool(_ option: OptionSpec) -> Bool {
        guard let text = string(option) else { return false }
        return BooleanText.parse(text) ?? false
    }

    /// A counter's value (0 when not given).
    public func count(_ option: OptionSpec) -> Int {
        string(option).flatMap { Int($0) } ?? 0
    }

    /// An integer option's value.
    public func int(_ option: OptionSpec) -> Int? {
        string(option).flatMap { Int($0) }
    }

    /// A duration option's value.
    public func duration(_ option: OptionSpec) -> GoDuration? {
        string(option).flatMap { try? GoDuration.parse($0) }
    }
}

/// The spellings of true and false accepted for boolean flags (Go's `strconv.ParseBool`).
enum BooleanText {
    static func parse(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}

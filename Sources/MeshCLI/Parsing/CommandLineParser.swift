import MeshCore

/// Turns `argv` into an `Invocation` against a command tree; a pure function with no I/O.
///
/// It works in two passes, like cobra: the first finds the command (skipping options and their values, so global
/// flags may come before the subcommand), the second reads every option against that command's own and
/// inherited options. Errors name the offending argument and suggest near matches.
public struct CommandLineParser: Sendable {
    public let root: CommandSpec

    public init(root: CommandSpec) {
        self.root = root
    }

    public func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        let (path, commandWords) = try findCommand(arguments)
        var options = ParsedOptions()
        var positionals: [String] = []
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if commandWords.contains(index - 1) { continue }
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                positionals.append(argument)
            } else if argument == "--" {
                optionsEnded = true
            } else if argument.hasPrefix("--") {
                try readLongOption(argument, path: path, arguments: arguments, index: &index, into: &options)
            } else {
                try readShortOptions(argument, path: path, arguments: arguments, index: &index, into: &options)
            }
        }
        let help = path.option(long: "help").map { options.bool($0) } ?? false
        if !help {
            try checkArguments(positionals, path: path)
        }
        return Invocation(path: path, options: options, arguments: positionals, helpRequested: help)
    }

    // MARK: - First pass: the command

    /// The selected command and the indices of the words that selected it.
    private func findCommand(_ arguments: [String]) throws(UsageError) -> (CommandPath, Set<Int>) {
        var path = CommandPath([root])
        var words = Set<Int>()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument.hasPrefix("-"), argument != "-" {
                index += takesSeparateValue(argument, path: path) ? 2 : 1
                continue
            }
            let command = path.leaf
            guard !command.subcommands.isEmpty else { break }
            if let subcommand = command.subcommand(named: argument) {
                path = path.appending(subcommand)
                words.insert(index)
                index += 1
                continue
            }
            if command.run == nil || command.arguments.isEmpty {
                let names = command.visibleSubcommands.flatMap { [$0.name] + $0.aliases }
                let hint = NearMatch.phrase(for: argument, among: names)
                let scope = path.commands.count == 1 ? "" : " for \"\(path.displayName)\""
                throw UsageError("unknown command \"\(argument)\"\(scope)\(hint)", at: path)
            }
            break
        }
        return (path, words)
    }

    /// Whether `argument` (an option word) is followed by a separate value word.
    private func takesSeparateValue(_ argument: String, path: CommandPath) -> Bool {
        if argument.hasPrefix("--") {
            let name = String(argument.dropFirst(2))
            if name.contains("=") { return false }
            let option = path.option(long: name) ?? descendantOption { $0.longSpellings.contains(name) }
            return option?.takesValue ?? false
        }
        let letters = Array(argument.dropFirst())
        for (offset, letter) in letters.enumerated() {
            guard let option = path.option(short: letter) ?? descendantOption({ $0.short == letter }) else {
                return false
            }
            if option.takesValue { return offset == letters.count - 1 }
            if offset + 1 < letters.count, letters[offset + 1] == "=" { return false }
        }
        return false
    }

    /// An option some command in the tree declares; used to skip a subcommand's option given before it.
    private func descendantOption(_ matches: (OptionSpec) -> Bool) -> OptionSpec? {
        var pending = [root]
        while let command = pending.popLast() {
            if let option = command.options.first(where: matches) { return option }
            pending += command.subcommands
        }
        return nil
    }

    // MARK: - Second pass: options

    private func readLongOption(
        _ argument: String, path: CommandPath, arguments: [String], index: inout Int, into options: inout ParsedOptions
    ) throws(UsageError) {
        let body = argument.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline: String? = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let option = path.option(long: name) else {
            let names = path.effectiveOptions.filter { !$0.hidden }.map(\.long)
            let hint = NearMatch.phrase(for: name, among: names, prefix: "--")
            throw UsageError("unknown flag: --\(name)\(hint)", at: path)
        }
        switch option.kind {
        case .flag:
            try record(option, inline ?? "true", path: path, into: &options)
        case .counter:
            try record(option, inline ?? "+1", path: path, into: &options)
        case .value, .repeatable:
            let missing = UsageError("flag needs an argument: --\(name)", at: path)
            let value: String
            if let inline { value = inline } else { value = try nextArgument(arguments, index: &index, orThrow: missing) }
            try record(option, value, path: path, into: &options)
        }
    }

    private func readShortOptions(
        _ argument: String, path: CommandPath, arguments: [String], index: inout Int, into options: inout ParsedOptions
    ) throws(UsageError) {
        let letters = Array(argument.dropFirst())
        var offset = 0
        while offset < letters.count {
            let letter = letters[offset]
            guard let option = path.option(short: letter) else {
                throw UsageError("unknown shorthand flag: '\(letter)' in \(argument)", at: path)
            }
            let rest = String(letters[(offset + 1)...])
            let inline: String? = rest.hasPrefix("=") ? String(rest.dropFirst()) : nil
            switch option.kind {
            case .flag, .counter:
                if let inline {
                    try record(option, inline, path: path, into: &options)
                    return
                }
                try record(option, option.kind == .flag ? "true" : "+1", path: path, into: &options)
                offset += 1
            case .value, .repeatable:
                let missing = UsageError("flag needs an argument: '\(letter)' in -\(letter)", at: path)
                let value: String
                if let inline {
                    value = inline
                } else if !rest.isEmpty {
                    value = rest
                } else {
                    value = try nextArgument(arguments, index: &index, orThrow: missing)
                }
                try record(option, value, path: path, into: &options)
                return
            }
        }
    }

    /// The word after an option that takes a separate value.
    private func nextArgument(_ arguments: [String], index: inout Int, orThrow error: UsageError) throws(UsageError) -> String {
        guard index < arguments.count else { throw error }
        index += 1
        return arguments[index - 1]
    }

    /// Checks `value` against the option's kind, allowed values and type, then records it.
    private func record(
        _ option: OptionSpec, _ value: String, path: CommandPath, into options: inout ParsedOptions
    ) throws(UsageError) {
        func invalid(_ reason: String) -> UsageError {
            UsageError("invalid argument \"\(value)\" for \"\(option.displayName)\" flag: \(reason)", at: path)
        }
        switch option.kind {
        case .flag:
            guard BooleanText.parse(value) != nil else { throw invalid("must be true or false") }
        case .counter:
            guard value == "+1" || (Int(value).map { $0 >= 0 } ?? false) else {
                throw invalid("must be a non-negative integer")
            }
        case .value, .repeatable:
            if !option.allowedValues.isEmpty, !option.allowedValues.contains(value) {
                throw invalid("must be one of: \(option.allowedValues.joined(separator: ", "))")
            }
            switch option.valueType {
            case .string:
                break
            case .integer:
                guard Int(value) != nil else { throw invalid("must be an integer") }
            case .duration:
                do {
                    _ = try GoDuration.parse(value)
                } catch {
                    throw invalid("must be a duration such as 30s, 5m or 1h (a bare number means seconds)")
                }
            }
        }
        options.record(option, value)
    }

    // MARK: - Positional arguments

    private func checkArguments(_ positionals: [String], path: CommandPath) throws(UsageError) {
        let specs = path.leaf.arguments
        let minimum = specs.filter { $0.arity == .required || $0.arity == .oneOrMore }.count
        let unbounded = specs.contains { $0.arity == .variadic || $0.arity == .oneOrMore }
        if positionals.count < minimum {
            let missing = specs.filter { $0.arity == .required || $0.arity == .oneOrMore }[positionals.count]
            throw UsageError("missing argument \(missing.name) (\(missing.help))", at: path)
        }
        if !unbounded, positionals.count > specs.count {
            let extra = positionals[specs.count]
            if specs.isEmpty {
                throw UsageError("\"\(path.displayName)\" takes no arguments, got \"\(extra)\"", at: path)
            }
            throw UsageError(
                "unexpected argument \"\(extra)\": \"\(path.displayName)\" takes at most \(specs.count) argument\(specs.count == 1 ? "" : "s")",
                at: path
            )
        }
        for (spec, value) in zip(specs, positionals) {
            if case .values(let allowed) = spec.completion, !allowed.contains(value) {
                let hint = NearMatch.phrase(for: value, among: allowed)
                throw UsageError(
                    "invalid \(spec.name) \"\(value)\"\(hint) (one of: \(allowed.joined(separator: ", ")))", at: path)
            }
        }
    }
}

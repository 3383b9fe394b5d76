import MeshCore

/// The output formats of commands that print objects (`-o/--output`).
public enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case wide
    case json
    case yaml
    case name

    /// The `-o/--output` option of a command that prints in `formats`; without `-o` it prints `defaultFormat`'s
    /// human form.
    public static func option(_ formats: [OutputFormat], help: String? = nil) -> OptionSpec {
        OptionSpec(
            long: "output", short: "o", valueName: "FORMAT",
            help: help ?? "Output format: \(formats.map(\.rawValue).joined(separator: ", "))",
            allowedValues: formats.map(\.rawValue))
    }
}

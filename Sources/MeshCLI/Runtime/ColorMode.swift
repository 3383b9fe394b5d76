import MeshCore

/// Whether meshctl colours its terminal output: `--color auto|always|never`, `NO_COLOR`, and the terminal.
public enum ColorMode: String, Sendable, CaseIterable {
    case auto
    case always
    case never

    /// Whether to colour a stream: `always` wins, `never` and a non-empty `NO_COLOR` switch colour off, and
    /// `auto` colours only terminals (and not `TERM=dumb`).
    public func enabled(isTerminal: Bool, environment: [String: String]) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            return isTerminal && environment["TERM"] != "dumb"
        }
    }
}

/// ANSI styling that is a no-op when colour is off.
public struct Styler: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public func red(_ text: String) -> String { wrap(text, "31") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func bold(_ text: String) -> String { wrap(text, "1") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Checks of regular expressions in route matches. Envoy uses RE2; Swift's regex engine parses a superset, so
/// the constructs RE2 rejects (backreferences, look-around, possessive quantifiers) are refused first.
enum RegexRules {
    static func problem(_ pattern: String, field: String) -> String? {
        if pattern.isEmpty { return "\"\(field)\": regex string match should not be empty" }
        for construct in ["(?=", "(?!", "(?<=", "(?<!", "*+", "++", "?+", "(?>"] where pattern.contains(construct) {
            return "\"\(field)\": error parsing regexp: invalid or unsupported Perl syntax: `\(construct)`"
        }
        if hasBackreference(pattern) {
            return "\"\(field)\": error parsing regexp: invalid escape sequence (backreferences are not supported)"
        }
        do {
            _ = try Regex<AnyRegexOutput>(pattern)
            return nil
        } catch {
            return "\"\(field)\": error parsing regexp: \(error)"
        }
    }

    private static func hasBackreference(_ pattern: String) -> Bool {
        var escaped = false
        for character in pattern {
            if escaped {
                if let digit = character.wholeNumberValue, digit >= 1 { return true }
                escaped = false
            } else if character == "\\" {
                escaped = true
            }
        }
        return false
    }
}

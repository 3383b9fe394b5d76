/// One `--suppress CODE=RESOURCE` of `meshctl analyze` (istioctl's flag): messages whose code or name is `CODE`
/// and whose resource (`Kind namespace/name`, as printed) matches `RESOURCE` are dropped. `*` in either part
/// matches any run of characters.
public struct AnalysisSuppression: Sendable, Hashable {
    public let code: String
    public let resource: String

    /// Parses `IST0101=VirtualService shop/*`; `nil` without `=` or with an empty side.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        code = text[..<equals].trimmingSpaces
        resource = text[text.index(after: equals)...].trimmingSpaces
        guard !code.isEmpty, !resource.isEmpty else { return nil }
    }

    public func suppresses(_ message: AnalysisMessage) -> Bool {
        (Self.glob(code, message.code) || Self.glob(code, message.name)) && Self.glob(resource, message.origin.description)
    }

    /// Whether `text` matches `pattern`, where `*` matches any run of characters.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return pattern == text }
        var rest = text[...]
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = rest.firstRange(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

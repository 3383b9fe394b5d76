/// What a policy does with the requests its rules match.
public enum AuthorizationAction: String, Sendable, Hashable, CaseIterable {
    case allow = "ALLOW"
    case deny = "DENY"
    case audit = "AUDIT"
    case custom = "CUSTOM"

    /// The action of a spec (`ALLOW` when unset); `nil` for an unknown action.
    public init?(spec: String?) {
        guard let spec else { self = .allow; return }
        self.init(rawValue: spec)
    }
}

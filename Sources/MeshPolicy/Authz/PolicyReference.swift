/// Names a policy in results: `namespace/name` and its action.
public struct PolicyReference: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var name: String
    public var action: AuthorizationAction

    public init(namespace: String, name: String, action: AuthorizationAction) {
        self.namespace = namespace
        self.name = name
        self.action = action
    }

    /// `namespace/name`.
    public var description: String { "\(namespace)/\(name)" }
}

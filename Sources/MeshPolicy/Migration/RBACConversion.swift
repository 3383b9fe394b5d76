import MeshCore

/// What `RBACConverter` produced: AuthorizationPolicies, what it could not express, and what the user should know.
public struct RBACConversion: Sendable {
    /// The policies, in a stable order (mesh-wide mode policies first, then by namespace and name).
    public var policies: [Resource<AuthorizationPolicySpec>] = []
    /// Parts of the input the policies do not express (dropped, or guessed): the conversion is not equivalent.
    public var problems: [String] = []
    /// Facts worth knowing that do not make the conversion wrong (roles without bindings, …).
    public var notes: [String] = []

    /// The policies as one YAML stream.
    public var yaml: String {
        policies.map { YAML.emit($0.value) }.joined(separator: "---\n")
    }
}

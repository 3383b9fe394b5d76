import MeshCore

/// How a shell completes an option value or a positional argument.
public enum CompletionKind: Sendable, Hashable {
    /// Nothing to offer.
    case none
    /// File names, optionally only those with these extensions (without dots).
    case file(extensions: [String])
    /// Directory names.
    case directory
    /// A fixed list of words, written into the completion scripts.
    case values([String])
    /// Names that only the running program can know (contexts, namespaces); the completion scripts ask
    /// `meshctl __complete KIND` for them.
    case dynamic(DynamicCompletion)

    /// Any file.
    public static let anyFile = CompletionKind.file(extensions: [])
}

/// The kinds of value that completion scripts ask meshctl for at completion time.
public enum DynamicCompletion: String, Sendable, Hashable, CaseIterable {
    /// Context names from the kubeconfig.
    case contexts
    /// Cluster names from the kubeconfig.
    case clusters
    /// User names from the kubeconfig.
    case users
    /// Namespaces of the selected cluster.
    case namespaces
    /// Pods in the selected namespace.
    case pods
    /// Nodes of the selected cluster.
    case nodes
    /// meshctl's command paths (for `meshctl help`).
    case commands
}

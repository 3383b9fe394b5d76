/// How a patch body is to be read.
public enum PatchType: String, Sendable, CaseIterable {
    /// RFC 7386 JSON merge patch.
    case merge = "application/merge-patch+json"
    /// RFC 6902 JSON patch (a list of operations).
    case json = "application/json-patch+json"
    /// Kubernetes strategic merge patch (built-in kinds only).
    case strategic = "application/strategic-merge-patch+json"
    /// Server-side apply (needs a field manager).
    case apply = "application/apply-patch+yaml"
}

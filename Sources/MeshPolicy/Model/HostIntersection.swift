/// Istio host names matched against each other, wildcards included (`*`, `*.example.com`): VirtualService hosts
/// against Gateway server hosts, or against each other.
public enum HostIntersection {
    /// The hosts both `a` and `b` cover, as the more specific of the two; `nil` when they share none.
    public static func intersect(_ a: String, _ b: String) -> String? {
        if a == b { return a }
        if covers(a, b) { return b }
        if covers(b, a) { return a }
        return nil
    }

    /// Whether wildcard `pattern` covers every name `name` covers.
    public static func covers(_ pattern: String, _ name: String) -> Bool {
        if pattern == "*" { return true }
        guard pattern.hasPrefix("*") else { return false }
        let suffix = pattern.dropFirst()
        return name.hasSuffix(suffix) && name.count > suffix.count
    }
}

/// An Istio workload identity: `spiffe://<trust domain>/ns/<namespace>/sa/<service account>`.
public struct SPIFFEID: Sendable, Hashable, CustomStringConvertible {
    /// The trust domain (`cluster.local`).
    public var trustDomain: String
    /// The Kubernetes namespace.
    public var namespace: String
    /// The service account.
    public var serviceAccount: String

    /// Parses and checks an ID; throws `invalidParameter` naming what is wrong.
    public init(parsing text: String) throws(PKIError) {
        let prefix = "spiffe://"
        guard text.hasPrefix(prefix) else {
            throw PKIError(.invalidParameter, "SPIFFE ID \"\(text)\" must start with spiffe://")
        }
        let parts = text.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[1] == "ns", parts[3] == "sa" else {
            throw PKIError(.invalidParameter, "SPIFFE ID \"\(text)\" must look like spiffe://TRUST-DOMAIN/ns/NAMESPACE/sa/SERVICE-ACCOUNT")
        }
        let domainCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
        guard !parts[0].isEmpty, parts[0].allSatisfy({ domainCharacters.contains($0) }) else {
            throw PKIError(.invalidParameter, "SPIFFE ID \"\(text)\": trust domain \"\(parts[0])\" may hold only lower-case letters, digits, '.', '-' and '_'")
        }
        let segmentCharacters = domainCharacters.union("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for segment in [parts[2], parts[4]] where segment.isEmpty || !segment.allSatisfy({ segmentCharacters.contains($0) }) {
            throw PKIError(.invalidParameter, "SPIFFE ID \"\(text)\": \"\(segment)\" is not a valid namespace or service account name")
        }
        trustDomain = parts[0]
        namespace = parts[2]
        serviceAccount = parts[4]
    }

    /// `spiffe://td/ns/ns/sa/sa`.
    public var description: String {
        "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)"
    }
}

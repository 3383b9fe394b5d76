/// What an external authorizer decided about one request (Envoy's ext_authz check statuses).
enum ExtAuthzDecision: Sendable {
    /// Go on to DENY and ALLOW policies; `upstreamHeaders` are set on the request forwarded, the headers named
    /// in `removing` taken off it (the authorizer consumed them, e.g. credentials), and `downstreamHeaders`
    /// added to the response.
    case allow(upstreamHeaders: [(String, String)], downstreamHeaders: [(String, String)], removing: [String])
    /// Answer the client with this status, headers and body.
    case deny(status: Int, headers: [(String, String)], body: String)
    /// The authorizer could not be asked or gave no usable answer (unreachable, timed out, 5xx, malformed).
    case error(String)

    /// What an error becomes: allowed with `failOpen`, else `statusOnError` with no body.
    func resolvingError(for provider: ExtAuthzProvider) -> ExtAuthzDecision {
        guard case .error = self else { return self }
        return provider.failOpen ? .allow(upstreamHeaders: [], downstreamHeaders: [], removing: []) : .deny(status: provider.statusOnError, headers: [], body: "")
    }
}

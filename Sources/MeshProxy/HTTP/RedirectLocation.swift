import NIOHTTP1

/// The `Location` of an Istio `HTTPRedirect`: the request's own scheme, authority and URI, each replaced where
/// the redirect says so.
enum RedirectLocation {
    static func make(_ redirect: HTTPRouteRule.Redirect, head: HTTPRequestHead, scheme: String) -> String {
        let original = scheme
        let scheme = redirect.scheme ?? scheme
        var authority = redirect.authority ?? head.headers.first(name: "host") ?? ""
        if let port = redirect.port {
            authority = String(RouteTable.stripPort(authority[...])) + ":\(port)"
        } else if scheme != original, authority.hasSuffix(original == "https" ? ":443" : ":80") {
            // A new scheme drops the old scheme's default port (as Envoy's https_redirect does).
            authority = String(RouteTable.stripPort(authority[...]))
        }
        let uri = redirect.uri ?? head.uri
        return "\(scheme)://\(authority)\(uri)"
    }
}

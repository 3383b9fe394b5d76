import NIOHTTP1

/// The `Location` of an Istio `HTTPRedirect`: the request's own scheme, authority and URI, each replaced where
/// the redirect says so.
enum RedirectLocation {
    static func make(_ redirect: HTTPRouteRule.Redirect, head: HTTPRequestHead, scheme: String) -> String {
        let scheme = redirect.scheme ?? scheme
        var authority = redirect.authority ?? head.headers.first(name: "host") ?? ""
        if let port = redirect.port {
            authority = String(RouteTable.stripPort(authority[...])) + ":\(port)"
        }
        let uri = redirect.uri ?? head.uri
        return "\(scheme)://\(authority)\(uri)"
    }
}

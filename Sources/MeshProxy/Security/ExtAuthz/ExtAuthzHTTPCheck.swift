import MeshPolicy
import NIOHTTP1

/// Envoy's HTTP authorization service, as a pure translation: the check request made from a client request,
/// and the decision read from the authorizer's answer (200 allows, 5xx is an error, anything else denies).
enum ExtAuthzHTTPCheck {
    /// The request sent to the authorizer: the client's method, `pathPrefix` + its path, its Host, and the
    /// headers the provider includes; the body (or none, with `content-length: 0`).
    struct Request {
        var method: HTTPMethod
        var path: String
        var headers: [(String, String)]
        var body: [UInt8]
    }

    /// Headers every check carries when the client sent them (Envoy adds them to any allow list).
    private static let alwaysIncluded: Set<String> = ["host", "authorization"]

    /// `body` is the buffered client body when the provider includes it (`partial`: cut at `maxRequestBytes`).
    static func request(for head: HTTPRequestHead, body: [UInt8]?, partial: Bool, provider: ExtAuthzProvider) -> Request {
        var headers: [(String, String)] = []
        for (name, value) in head.headers {
            let key = name.lowercased()
            guard alwaysIncluded.contains(key) || provider.includeRequestHeaders.contains(where: { $0.matches(key) }) else { continue }
            guard !provider.additionalHeaders.contains(where: { $0.0 == key }), key != "content-length" else { continue }
            headers.append((key, value))
        }
        headers += provider.additionalHeaders
        if body != nil { headers.append(("x-envoy-auth-partial-body", partial ? "true" : "false")) }
        return Request(method: head.method, path: provider.pathPrefix + head.uri, headers: headers, body: body ?? [])
    }

    /// The decision for the authorizer's answer.
    static func decision(status: Int, headers: [(String, String)], body: [UInt8], provider: ExtAuthzProvider) -> ExtAuthzDecision {
        if (500..<600).contains(status) { return .error("the authorizer answered \(status)") }
        if status == 200 {
            // Envoy's HTTP authorizers name the request headers to take off in `x-envoy-auth-headers-to-remove`.
            let removing = headers.filter { $0.0.lowercased() == "x-envoy-auth-headers-to-remove" }
                .flatMap { $0.1.split(separator: ",") }
                .map { String($0.filter { $0 != " " && $0 != "\t" }).lowercased() }
            return .allow(
                upstreamHeaders: select(headers, provider.headersToUpstreamOnAllow),
                downstreamHeaders: select(headers, provider.headersToDownstreamOnAllow), removing: removing)
        }
        let kept: [(String, String)]
        if provider.headersToDownstreamOnDeny.isEmpty {
            kept = headers.filter { !framing.contains($0.0.lowercased()) && $0.0.lowercased() != "host" }
        } else {
            let automatic = [StringPattern.exact("www-authenticate"), .exact("location")]
            kept = select(headers, provider.headersToDownstreamOnDeny + automatic)
        }
        return .deny(status: status, headers: kept, body: String(decoding: body, as: UTF8.self))
    }

    /// Headers of the authorizer's own connection and message that the proxy sets itself.
    private static let framing: Set<String> = ["content-length", "transfer-encoding", "connection", "keep-alive", "date", "server"]

    /// The headers whose lowercased names match one of `patterns` (none when there are no patterns).
    private static func select(_ headers: [(String, String)], _ patterns: [StringPattern]) -> [(String, String)] {
        headers.compactMap { name, value in
            let key = name.lowercased()
            guard !framing.contains(key), patterns.contains(where: { $0.matches(key) }) else { return nil }
            return (key, value)
        }
    }
}

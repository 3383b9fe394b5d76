import MeshCore

/// A request (or TCP connection) as authorization sees it: who sends it, to what, and with which credentials.
public struct AuthzRequest: Sendable, Hashable {
    /// `nil` for TCP traffic: HTTP-only attributes are then absent (see `AuthorizationEvaluator`).
    public var method: String?
    /// The request path; a query string is ignored for matching.
    public var path: String?
    /// The Host/`:authority` header, port included if the client sent one.
    public var host: String?
    /// The destination port.
    public var port: Int?
    /// Request headers; names are matched case-insensitively.
    public var headers: [String: String]
    /// The mTLS peer identity: `cluster.local/ns/foo/sa/bar` or `spiffe://cluster.local/ns/foo/sa/bar`.
    public var sourcePrincipal: String?
    /// The peer's address (`source.ip`, `ipBlocks`).
    public var sourceIP: String?
    /// The original client address (`remote.ip`, `remoteIpBlocks`); defaults to `sourceIP`.
    public var remoteIP: String?
    /// The destination address (`destination.ip`).
    public var destinationIP: String?
    /// The JWT principal `issuer/subject`; defaults to the `iss` and `sub` claims.
    public var requestPrincipal: String?
    /// The JWT payload (`request.auth.claims[…]`, audiences `aud`, presenter `azp`).
    public var claims: Value?
    /// The TLS server name (`connection.sni`).
    public var sni: String?

    public init(
        method: String? = nil, path: String? = nil, host: String? = nil, port: Int? = nil,
        headers: [String: String] = [:], sourcePrincipal: String? = nil, sourceIP: String? = nil,
        remoteIP: String? = nil, destinationIP: String? = nil, requestPrincipal: String? = nil,
        claims: Value? = nil, sni: String? = nil
    ) {
        self.method = method
        self.path = path
        self.host = host
        self.port = port
        self.headers = headers
        self.sourcePrincipal = sourcePrincipal
        self.sourceIP = sourceIP
        self.remoteIP = remoteIP
        self.destinationIP = destinationIP
        self.requestPrincipal = requestPrincipal
        self.claims = claims
        self.sni = sni
    }

    /// Whether this is plain TCP traffic (no HTTP method).
    public var isTCP: Bool { method == nil }

    /// The namespace in the source principal (`…/ns/<namespace>/…`), if any.
    public var sourceNamespace: String? {
        sourcePrincipal.flatMap(Self.namespace(ofPrincipal:))
    }

    /// The namespace of a SPIFFE identity (`…/ns/<namespace>/…`), if it names one.
    public static func namespace(ofPrincipal principal: String) -> String? {
        let parts = principal.split(separator: "/", omittingEmptySubsequences: false)
        guard let index = parts.firstIndex(of: "ns"), index + 1 < parts.count else { return nil }
        return String(parts[index + 1])
    }
}

/// A request normalised once for matching: principal without `spiffe://`, host in lower case, path without
/// query, addresses parsed, header names in lower case, JWT issuer and subject split.
///
/// The fields live behind one reference, so storing or passing a prepared request copies one pointer rather
/// than a dozen strings.
public struct PreparedRequest: Sendable {
    private let fields: PreparedFields

    public init(_ request: AuthzRequest) {
        fields = PreparedFields(request)
    }

    public var request: AuthzRequest { fields.request }
    var isTCP: Bool { fields.isTCP }
    var principal: String? { fields.principal }
    var principalURI: String? { fields.principalURI }
    var principalNamespaces: [String] { fields.principalNamespaces }
    var host: String? { fields.host }
    var path: String? { fields.path }
    var sourceIP: IPAddress? { fields.sourceIP }
    var remoteIP: IPAddress? { fields.remoteIP }
    var destinationIP: IPAddress? { fields.destinationIP }
    var headers: [String: String] { fields.headers }
    var issuer: String? { fields.issuer }
    var subject: String? { fields.subject }
    /// The JWT payload.
    var claims: Value? { fields.request.claims }

    /// Whether the request carries a validated JWT (a request principal or claims).
    var hasJWT: Bool { fields.issuer != nil || fields.request.claims != nil }
}

/// The fields of a `PreparedRequest`, behind one reference.
final class PreparedFields: Sendable {
    let request: AuthzRequest
    let isTCP: Bool
    let principal: String?
    let principalURI: String?
    /// Every segment that follows an `ns` segment of the principal and is itself followed by more (what
    /// Istio's `.*/ns/<namespace>/.*` can match without wildcards).
    let principalNamespaces: [String]
    let host: String?
    let path: String?
    let sourceIP: IPAddress?
    let remoteIP: IPAddress?
    let destinationIP: IPAddress?
    let headers: [String: String]
    let issuer: String?
    let subject: String?

    init(_ request: AuthzRequest) {
        self.request = request
        isTCP = request.isTCP
        if let principal = request.sourcePrincipal, !principal.isEmpty {
            let bare = principal.hasPrefix("spiffe://") ? String(principal.dropFirst(9)) : principal
            self.principal = bare
            principalURI = "spiffe://" + bare
            let segments = bare.split(separator: "/", omittingEmptySubsequences: false)
            var namespaces: [String] = []
            if segments.count >= 3 {
                for index in 1..<(segments.count - 1) where segments[index - 1] == "ns" { namespaces.append(String(segments[index])) }
            }
            principalNamespaces = namespaces
        } else {
            principal = nil
            principalURI = nil
            principalNamespaces = []
        }
        host = request.host?.lowercased()
        path = request.path.map { path in path.firstIndex(of: "?").map { String(path[..<$0]) } ?? path }
        sourceIP = request.sourceIP.flatMap(IPAddress.init)
        remoteIP = (request.remoteIP ?? request.sourceIP).flatMap(IPAddress.init)
        destinationIP = request.destinationIP.flatMap(IPAddress.init)
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name.lowercased()] = value }
        if let method = request.method { headers[":method"] = method }
        if let host = request.host { headers[":authority"] = host; headers["host"] = host }
        if let path = request.path { headers[":path"] = path }
        self.headers = headers
        if let explicit = request.requestPrincipal, !explicit.isEmpty {
            if let slash = explicit.lastIndex(of: "/") {
                issuer = String(explicit[..<slash])
                subject = String(explicit[explicit.index(after: slash)...])
            } else {
                issuer = explicit
                subject = ""
            }
        } else {
            issuer = request.claims?["iss"]?.stringValue
            subject = request.claims?["sub"]?.stringValue
        }
    }
}

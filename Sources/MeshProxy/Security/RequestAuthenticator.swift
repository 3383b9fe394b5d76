import MeshCore
import MeshPolicy
import NIOHTTP1

/// RequestAuthentication for the proxy's workload, as Istio configures Envoy's jwt_authn filter: a request
/// without a token passes unauthenticated (AuthorizationPolicy decides); a request with a token must carry a
/// valid one from a configured issuer, else it gets 401. A valid token gives the request its principal
/// (`iss/sub`) and claims, and is removed before forwarding unless `forwardOriginalToken` is set.
final class RequestAuthenticator: Sendable {
    /// Where a token is looked for.
    enum Location: Sendable, Equatable {
        case header(name: String, prefix: String)
        case parameter(String)
        case cookie(String)
    }

    /// One `jwtRules` entry, with its inline JWKS parsed, or the `jwksUri` the proxy fetches it from.
    struct Rule: Sendable {
        let issuer: String
        let audiences: [String]
        let keys: [JSONWebKey]
        /// Set when the keys come from `jwksUri` (inline `jwks` wins when both are given, as in Istio).
        var jwksURI: JWKSEndpoint? = nil
        /// The rule's `timeout` for fetching its JWKS (Istio's default: 5 s).
        var fetchTimeout: Duration = .seconds(5)
        let locations: [Location]
        let forwardOriginalToken: Bool
        let outputPayloadToHeader: String?
        let claimsToHeaders: [(header: String, claim: String)]
    }

    /// The request's identity after a valid token, and how the forwarded request changes.
    struct Identity: Sendable {
        let principal: String
        let claims: Value
        /// Headers to remove (the token's own, unless forwarded) and to set (payload and claim outputs).
        let removeHeaders: [String]
        let setHeaders: [(String, String)]
    }

    enum Outcome: Sendable {
        /// No token anywhere the rules look.
        case anonymous
        case authenticated(Identity)
        /// A token that fails: 401 with this message.
        case rejected(String)
    }

    let rules: [Rule]
    /// The fetchers of the rules' `jwksUri`s.
    let remoteKeys: [JWKSEndpoint: RemoteJWKS]

    /// `nil` when no RequestAuthentication applies to the workload.
    init?(rules: [Rule], remoteKeys: [JWKSEndpoint: RemoteJWKS] = [:]) {
        guard !rules.isEmpty else { return nil }
        self.rules = rules
        self.remoteKeys = remoteKeys
    }

    /// The rules of the RequestAuthentications that apply to `workload`: those without a selector in its
    /// namespace or the root namespace, and those whose selector matches its labels. Policies that target
    /// gateways through `targetRef(s)` don't apply to a sidecar.
    static func rules(
        from policies: [Resource<RequestAuthenticationSpec>], workload: Workload, rootNamespace: String
    ) throws(ProxyError) -> [Rule] {
        var rules: [Rule] = []
        for policy in policies {
            let namespace = policy.metadata.namespace ?? "default"
            guard namespace == workload.namespace || namespace == rootNamespace else { continue }
            guard policy.spec.targetRef == nil, (policy.spec.targetRefs ?? []).isEmpty else { continue }
            guard policy.spec.selector?.matches(workload.labels) ?? true else { continue }
            for (index, entry) in (policy.spec.jwtRules ?? []).enumerated() {
                guard let entry else { continue }
                let label = "RequestAuthentication \(namespace)/\(policy.metadata.name ?? ""): spec.jwtRules[\(index)]"
                rules.append(try rule(entry, label: label))
            }
        }
        return rules
    }

    private static func rule(_ entry: JWTRule, label: String) throws(ProxyError) -> Rule {
        guard let issuer = entry.issuer, !issuer.isEmpty else { throw ProxyError(.invalidConfig, "\(label).issuer: required") }
        var keys: [JSONWebKey] = []
        var endpoint: JWKSEndpoint?
        if let jwks = entry.jwks, !jwks.isEmpty {
            do {
                keys = try JSONWebKey.parseSet(jwks)
            } catch {
                throw ProxyError(.invalidConfig, "\(label).jwks: \(error)")
            }
        } else if let uri = entry.jwksUri ?? entry.jwks_uri, !uri.isEmpty {
            guard let parsed = JWKSEndpoint(uri) else {
                throw ProxyError(.invalidConfig, "\(label).jwksUri: \(uri) is not an http:// or https:// URI with a host")
            }
            endpoint = parsed
        } else {
            throw ProxyError(.invalidConfig, "\(label).jwks: the JWKS is required (inline, or jwksUri)")
        }
        var fetchTimeout = Duration.seconds(5)
        if let text = entry.timeout {
            guard let parsed = try? GoDuration.parse(text), parsed.nanoseconds > 0 else {
                throw ProxyError(.invalidConfig, "\(label).timeout: not a positive duration: \(text)")
            }
            fetchTimeout = .nanoseconds(parsed.nanoseconds)
        }
        var locations: [Location] = []
        for header in entry.fromHeaders ?? [] {
            guard let header, let name = header.name else { continue }
            locations.append(.header(name: name.lowercased(), prefix: header.prefix ?? ""))
        }
        locations += (entry.fromParams ?? []).map(Location.parameter)
        locations += (entry.fromCookies ?? []).map(Location.cookie)
        if locations.isEmpty {
            // Envoy's defaults: `Authorization: Bearer <token>` and the `access_token` query parameter.
            locations = [.header(name: "authorization", prefix: "Bearer "), .parameter("access_token")]
        }
        return Rule(
            issuer: issuer, audiences: entry.audiences ?? [], keys: keys, jwksURI: endpoint, fetchTimeout: fetchTimeout,
            locations: locations,
            forwardOriginalToken: entry.forwardOriginalToken ?? false, outputPayloadToHeader: entry.outputPayloadToHeader,
            claimsToHeaders: (entry.outputClaimToHeaders ?? []).compactMap { output in
                guard let output, let header = output.header, let claim = output.claim else { return nil }
                return (header.lowercased(), claim)
            })
    }

    /// Checks the token of a request (headers and URI as received) at `now` (seconds since 1970).
    func authenticate(headers: HTTPHeaders, uri: String, now: Double) -> Outcome {
        guard let (token, location) = findToken(headers: headers, uri: uri) else { return .anonymous }
        let jwt: JSONWebToken
        do {
            jwt = try JSONWebToken(token)
        } catch {
            return .rejected(error.description)
        }
        guard let issuer = jwt.issuer, let rule = rules.first(where: { $0.issuer == issuer && $0.locations.contains(location) }) else {
            return .rejected("Jwt issuer is not configured")
        }
        var keys = rule.keys
        if let endpoint = rule.jwksURI {
            // Envoy's answer while its remote JWKS is not (or no longer) available.
            guard let fetched = remoteKeys[endpoint]?.currentKeys else { return .rejected("Jwks remote fetch is failed") }
            keys = fetched
        }
        do {
            try jwt.verifySignature(with: keys)
            try jwt.checkTimes(now: now)
        } catch {
            return .rejected(error.description)
        }
        if !rule.audiences.isEmpty && !jwt.audiences.contains(where: rule.audiences.contains) {
            return .rejected("Audiences in Jwt are not allowed")
        }
        var remove: [String] = []
        if !rule.forwardOriginalToken, case .header(let name, _) = location { remove.append(name) }
        var set: [(String, String)] = []
        if let header = rule.outputPayloadToHeader { set.append((header.lowercased(), String(jwt.encodedPayload))) }
        for (header, claim) in rule.claimsToHeaders {
            if let value = Self.headerValue(jwt.claims[claim]) { set.append((header, value)) }
        }
        let subject = jwt.claims["sub"]?.stringValue ?? ""
        return .authenticated(Identity(principal: "\(issuer)/\(subject)", claims: jwt.claims, removeHeaders: remove, setHeaders: set))
    }

    /// The first token found, in rule order and then location order.
    private func findToken(headers: HTTPHeaders, uri: String) -> (String, Location)? {
        for rule in rules {
            for location in rule.locations {
                if let token = Self.extract(location, headers: headers, uri: uri) { return (token, location) }
            }
        }
        return nil
    }

    static func extract(_ location: Location, headers: HTTPHeaders, uri: String) -> String? {
        switch location {
        case .header(let name, let prefix):
            for value in headers[canonicalForm: name] {
                if prefix.isEmpty { return String(value) }
                if value.lowercased().hasPrefix(prefix.lowercased()) { return String(value.dropFirst(prefix.count)) }
            }
            return nil
        case .parameter(let name):
            guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.first == name[...], parts.count == 2 { return String(parts[1]) }
            }
            return nil
        case .cookie(let name):
            for header in headers[canonicalForm: "cookie"] {
                for item in header.split(separator: ";") {
                    let parts = item.split(separator: "=", maxSplits: 1)
                    if parts.count == 2, parts[0].drop(while: { $0 == " " }) == name[...] { return String(parts[1]) }
                }
            }
            return nil
        }
    }

    /// A claim as a header value: strings as they are, numbers and booleans as JSON writes them.
    private static func headerValue(_ claim: Value?) -> String? {
        guard let claim else { return nil }
        if let text = claim.stringValue { return text }
        if claim.intValue != nil || claim.doubleValue != nil || claim.boolValue != nil { return JSON.emit(claim) }
        return nil
    }
}

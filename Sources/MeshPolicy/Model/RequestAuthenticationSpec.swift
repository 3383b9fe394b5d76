/// `RequestAuthentication.spec`: which JWTs a workload accepts.
public struct RequestAuthenticationSpec: Codable, Sendable, Equatable {
    public var selector: WorkloadSelector?
    public var targetRef: PolicyTargetReference?
    public var targetRefs: [PolicyTargetReference]?
    public var jwtRules: [JWTRule?]?

    public init(selector: WorkloadSelector? = nil, jwtRules: [JWTRule?]? = nil) {
        self.selector = selector
        self.jwtRules = jwtRules
    }
}

/// One accepted issuer and how its tokens are found and checked.
public struct JWTRule: Codable, Sendable, Hashable {
    public var issuer: String?
    public var audiences: [String]?
    public var jwksUri: String?
    public var jwks_uri: String?
    public var jwks: String?
    public var fromHeaders: [JWTHeader?]?
    public var fromParams: [String]?
    public var fromCookies: [String]?
    public var outputPayloadToHeader: String?
    public var forwardOriginalToken: Bool?
    public var outputClaimToHeaders: [ClaimToHeader?]?
    public var spaceDelimitedClaims: [String]?
    public var timeout: String?
    public var presence: String?

    public init(issuer: String? = nil, jwksUri: String? = nil) {
        self.issuer = issuer
        self.jwksUri = jwksUri
    }
}

/// A header a JWT is read from, with an optional prefix (`Bearer `).
public struct JWTHeader: Codable, Sendable, Hashable {
    public var name: String?
    public var prefix: String?
}

/// A claim copied into a request header.
public struct ClaimToHeader: Codable, Sendable, Hashable {
    public var header: String?
    public var claim: String?
}

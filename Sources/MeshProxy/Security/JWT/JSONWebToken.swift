import MeshCore

/// A compact JWS (RFC 7515) carrying a JWT (RFC 7519): its header, its claims and what was signed.
struct JSONWebToken {
    let header: Value
    let claims: Value
    /// `base64url(header) "." base64url(payload)`, the signing input.
    let signingInput: ArraySlice<UInt8>
    let signature: [UInt8]
    /// The payload as sent (base64url), for `outputPayloadToHeader`.
    let encodedPayload: Substring

    /// Tokens longer than this are refused before any decoding (a JWT is a few hundred bytes to a few KiB).
    static let maxLength = 16 * 1024

    /// Splits and decodes `token`; the signature is not checked here.
    init(_ token: String) throws(JWTError) {
        guard token.utf8.count <= Self.maxLength else { throw JWTError("Jwt is too large") }
        let bytes = Array(token.utf8)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw JWTError("Jwt is not in the form of Header.Payload.Signature") }
        guard let header = Base64URL.decode(parts[0]).flatMap({ try? JSON.parse(bytes: $0) }), header.objectValue != nil else {
            throw JWTError("Jwt header is an invalid JSON")
        }
        guard let claims = Base64URL.decode(parts[1]).flatMap({ try? JSON.parse(bytes: $0) }), claims.objectValue != nil else {
            throw JWTError("Jwt payload is an invalid JSON")
        }
        guard let signature = Base64URL.decode(parts[2]), !signature.isEmpty else {
            throw JWTError("Jwt signature is not base64url encoded")
        }
        self.header = header
        self.claims = claims
        self.signingInput = bytes[0..<(parts[0].utf8.count + 1 + parts[1].utf8.count)]
        self.signature = signature
        self.encodedPayload = parts[1]
    }

    var issuer: String? { claims["iss"]?.stringValue }

    /// `aud` as a list (a single string is a one-element list).
    var audiences: [String] {
        if let one = claims["aud"]?.stringValue { return [one] }
        return claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Checks the signature with the key the header's `kid` names (only that one), or, without a `kid`, with
    /// any key of the set that fits the algorithm. `none` and HMAC algorithms are refused.
    func verifySignature(with keys: [JSONWebKey]) throws(JWTError) {
        guard let algorithm = header["alg"]?.stringValue else { throw JWTError("Jwt header has no alg") }
        guard ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"].contains(algorithm) else {
            throw JWTError("Jwt uses an unsupported algorithm \(algorithm)")
        }
        let candidates: [JSONWebKey]
        if let kid = header["kid"]?.stringValue {
            candidates = keys.filter { $0.id == kid }
            guard !candidates.isEmpty else { throw JWTError("Jwks doesn't have key to match kid or alg from Jwt") }
        } else {
            candidates = keys
        }
        let usable = candidates.filter { $0.accepts(algorithm) }
        guard !usable.isEmpty else { throw JWTError("Jwks doesn't have key to match kid or alg from Jwt") }
        guard usable.contains(where: { $0.verify(signature, of: signingInput, algorithm: algorithm) }) else {
            throw JWTError("Jwt verification fails")
        }
    }

    /// `exp` and `nbf` against `now` (seconds since 1970), allowing `skew` seconds either way (Envoy: 60).
    func checkTimes(now: Double, skew: Double = 60) throws(JWTError) {
        if let exp = claims["exp"], exp.doubleValue == nil { throw JWTError("Jwt payload has an invalid exp") }
        if let nbf = claims["nbf"], nbf.doubleValue == nil { throw JWTError("Jwt payload has an invalid nbf") }
        if let exp = claims["exp"]?.doubleValue, now > exp + skew { throw JWTError("Jwt is expired") }
        if let nbf = claims["nbf"]?.doubleValue, now + skew < nbf { throw JWTError("Jwt not yet valid") }
    }
}

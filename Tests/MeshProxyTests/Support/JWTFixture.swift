import Crypto
import FoundationEssentials
import MeshCore
import _CryptoExtras
@testable import MeshProxy

/// Signing keys made for the test run, their JWKS, and tokens signed with them.
struct JWTFixture: Sendable {
    let rsa: _RSA.Signing.PrivateKey
    let ec: P256.Signing.PrivateKey
    /// A key of the same type the JWKS doesn't hold (tokens it signs must fail).
    let stranger: P256.Signing.PrivateKey
    let ed: Curve25519.Signing.PrivateKey
    var ec384 = P384.Signing.PrivateKey()

    static let shared: JWTFixture = {
        // 2048-bit RSA generation is the slow part: once per run.
        JWTFixture(
            rsa: try! _RSA.Signing.PrivateKey(keySize: .bits2048), ec: P256.Signing.PrivateKey(),
            stranger: P256.Signing.PrivateKey(), ed: Curve25519.Signing.PrivateKey())
    }()

    static let issuer = "https://auth.asset.example"

    /// `{"keys": [RSA kid rsa-1 (RS256 only), the same RSA key as rsa-any (any RSA algorithm), EC P-256 kid ec-1,
    /// EC P-384 kid ec384-1, Ed25519 kid ed-1]}`.
    var jwks: String {
        let primitives = try! rsa.publicKey.getKeyPrimitives()
        let n = Value.string(Base64URL.encode(primitives.modulus)), e = Value.string(Base64URL.encode(primitives.publicExponent))
        let point = [UInt8](ec.publicKey.rawRepresentation)
        let point384 = [UInt8](ec384.publicKey.rawRepresentation)
        let keys: Value = [
            "keys": [
                ["kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig", "n": n, "e": e],
                ["kty": "RSA", "kid": "rsa-any", "use": "sig", "n": n, "e": e],
                ["kty": "EC", "kid": "ec-1", "crv": "P-256",
                 "x": .string(Base64URL.encode(point[0..<32])), "y": .string(Base64URL.encode(point[32...]))],
                ["kty": "EC", "kid": "ec384-1", "crv": "P-384",
                 "x": .string(Base64URL.encode(point384[0..<48])), "y": .string(Base64URL.encode(point384[48...]))],
                ["kty": "OKP", "kid": "ed-1", "crv": "Ed25519", "x": .string(Base64URL.encode(ed.publicKey.rawRepresentation))],
            ],
        ]
        return JSON.emit(keys)
    }

    enum Signer { case rsa, ec, ec384, ed, stranger }

    /// A token with `claims` (iss, sub, exp an hour ahead unless given), signed by `signer` under `kid`; the RSA
    /// key signs with `alg`'s padding (PKCS #1 v1.5 or PSS) and hash.
    func token(_ claims: Value.Object = [:], signer: Signer = .ec, kid: String? = nil, alg: String? = nil) -> String {
        var payload: Value.Object = ["iss": .string(Self.issuer), "sub": "alice", "exp": .int(Int(Self.now) + 3600)]
        for (key, value) in claims { payload[key] = value }
        let algorithm = alg ?? (signer == .rsa ? "RS256" : signer == .ed ? "EdDSA" : signer == .ec384 ? "ES384" : "ES256")
        var header: Value.Object = ["alg": .string(algorithm), "typ": "JWT"]
        let defaultKid: String? = switch signer {
        case .rsa: algorithm == "RS256" ? "rsa-1" : "rsa-any"
        case .ec: "ec-1"
        case .ec384: "ec384-1"
        case .ed: "ed-1"
        case .stranger: nil
        }
        if let kid = kid ?? defaultKid { header["kid"] = .string(kid) }
        let input = Base64URL.encode(Array(JSON.emit(.object(header)).utf8)) + "." + Base64URL.encode(Array(JSON.emit(.object(payload)).utf8))
        let data = Array(input.utf8)
        let signature: [UInt8]
        switch signer {
        case .rsa:
            let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
            let signed = switch algorithm.suffix(3) {
            case "384": try! rsa.signature(for: SHA384.hash(data: data), padding: padding)
            case "512": try! rsa.signature(for: SHA512.hash(data: data), padding: padding)
            default: try! rsa.signature(for: SHA256.hash(data: data), padding: padding)
            }
            signature = [UInt8](signed.rawRepresentation)
        case .ec:
            signature = [UInt8](try! ec.signature(for: SHA256.hash(data: data)).rawRepresentation)
        case .ec384:
            signature = [UInt8](try! ec384.signature(for: SHA384.hash(data: data)).rawRepresentation)
        case .ed:
            signature = [UInt8](try! ed.signature(for: data))
        case .stranger:
            signature = [UInt8](try! stranger.signature(for: SHA256.hash(data: data)).rawRepresentation)
        }
        return input + "." + Base64URL.encode(signature)
    }

    static var now: Double { HTTPProxyHandler.wallClockSeconds() }
}

import Crypto
import FoundationEssentials
import MeshCore
import _CryptoExtras

/// A public key of a JSON Web Key Set (RFC 7517, 7518, 8037): RSA (2048 bits or more), EC on P-256, P-384,
/// P-521, or Ed25519. Verifies the signatures of the algorithms its type allows (RS*/PS* for RSA, the curve's
/// ES* for EC, EdDSA for Ed25519).
struct JSONWebKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    /// `kid`, which tokens name in their header.
    let id: String?
    /// `alg`, when the key is pinned to one algorithm.
    let algorithm: String?
    let material: Material

    /// The signing keys of a JWKS document (`{"keys": [...]}`) or of a single JWK. Keys for encryption
    /// (`use: enc`) and of types that can't sign JWTs here (`oct`, `OKP`) are skipped; a malformed signing key
    /// is an error naming it.
    static func parseSet(_ text: String) throws(JWTError) -> [JSONWebKey] {
        let document: Value
        do {
            document = try JSON.parse(text)
        } catch {
            throw JWTError("the JWKS is not JSON (\(error.message))")
        }
        let items = document["keys"]?.arrayValue ?? (document["kty"] != nil ? [document] : nil)
        guard let items else { throw JWTError("the JWKS has no \"keys\"") }
        var keys: [JSONWebKey] = []
        for (index, item) in items.enumerated() {
            if item["use"]?.stringValue == "enc" { continue }
            if let key = try parse(item, index: index) { keys.append(key) }
        }
        guard !keys.isEmpty else { throw JWTError("the JWKS has no RSA, EC or Ed25519 signing key") }
        return keys
    }

    private static func parse(_ item: Value, index: Int) throws(JWTError) -> JSONWebKey? {
        let id = item["kid"]?.stringValue
        let name = "key \(id.map { "\"\($0)\"" } ?? "#\(index)")"
        func bytes(_ field: String) throws(JWTError) -> [UInt8] {
            guard let text = item[field]?.stringValue, let decoded = Base64URL.decode(text[...]), !decoded.isEmpty else {
                throw JWTError("\(name): \(field) is missing or not base64url")
            }
            return decoded
        }
        let material: Material
        switch item["kty"]?.stringValue {
        case "RSA":
            do {
                material = .rsa(try _RSA.Signing.PublicKey(n: try bytes("n"), e: try bytes("e")))
            } catch let error as JWTError {
                throw error
            } catch {
                throw JWTError("\(name): not a usable RSA public key (2048 bits or more)")
            }
        case "EC":
            let point = try bytes("x") + bytes("y")
            do {
                switch item["crv"]?.stringValue {
                case "P-256": material = .p256(try P256.Signing.PublicKey(rawRepresentation: point))
                case "P-384": material = .p384(try P384.Signing.PublicKey(rawRepresentation: point))
                case "P-521": material = .p521(try P521.Signing.PublicKey(rawRepresentation: point))
                default: throw JWTError("\(name): unsupported curve \(item["crv"]?.stringValue ?? "(none)")")
                }
            } catch let error as JWTError {
                throw error
            } catch {
                throw JWTError("\(name): not a point on its curve")
            }
        case "OKP":
            guard item["crv"]?.stringValue == "Ed25519" else { return nil }  // X25519 and others don't sign
            do {
                material = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: try bytes("x")))
            } catch let error as JWTError {
                throw error
            } catch {
                throw JWTError("\(name): not an Ed25519 public key")
            }
        case "oct":
            return nil  // a shared secret: HMAC tokens are refused (no key confusion with public keys)
        default:
            throw JWTError("\(name): unsupported key type \(item["kty"]?.stringValue ?? "(none)")")
        }
        return JSONWebKey(id: id, algorithm: item["alg"]?.stringValue, material: material)
    }

    /// Whether the key may verify `algorithm` (its type and curve fit, and a pinned `alg` agrees).
    func accepts(_ algorithm: String) -> Bool {
        if let pinned = self.algorithm, pinned != algorithm { return false }
        switch (material, algorithm) {
        case (.rsa, "RS256"), (.rsa, "RS384"), (.rsa, "RS512"), (.rsa, "PS256"), (.rsa, "PS384"), (.rsa, "PS512"),
            (.p256, "ES256"), (.p384, "ES384"), (.p521, "ES512"), (.ed25519, "EdDSA"):
            return true
        default:
            return false
        }
    }

    /// Whether `signature` is this key's signature of `input` under `algorithm` (which `accepts` allowed).
    func verify(_ signature: [UInt8], of input: ArraySlice<UInt8>, algorithm: String) -> Bool {
        switch material {
        case .rsa(let key):
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
            switch algorithm.suffix(3) {
            case "256": return key.isValidSignature(rsaSignature, for: SHA256.hash(data: input), padding: padding)
            case "384": return key.isValidSignature(rsaSignature, for: SHA384.hash(data: input), padding: padding)
            case "512": return key.isValidSignature(rsaSignature, for: SHA512.hash(data: input), padding: padding)
            default: return false
            }
        case .p256(let key):
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: input))
        case .p384(let key):
            guard let ecdsa = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsa, for: SHA384.hash(data: input))
        case .p521(let key):
            guard let ecdsa = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(ecdsa, for: SHA512.hash(data: input))
        case .ed25519(let key):
            return key.isValidSignature(signature, for: input)
        }
    }
}

/// Why a JWT or a JWKS was refused.
struct JWTError: Error, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

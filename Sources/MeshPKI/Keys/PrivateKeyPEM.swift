import Crypto
import _CryptoExtras
import X509

/// PEM encoding and description of private keys.
///
/// P-256 and P-384 keys are written as PKCS#8 `PRIVATE KEY`, RSA as PKCS#1 `RSA PRIVATE KEY`; OpenSSL, BoringSSL, Go
/// and Envoy read both.
public enum PrivateKeyPEM {
    /// The PEM text of a key.
    public static func encode(_ key: Certificate.PrivateKey) throws(PKIError) -> String {
        do {
            return try key.serializeAsPEM().pemString + "\n"
        } catch {
            throw PKIError(.io, "cannot encode the private key: \(error)", underlying: error)
        }
    }

    /// `RSA 4096`, `ECDSA P-256` for a public key.
    public static func describe(_ key: Certificate.PublicKey) -> String {
        if let rsa = _RSA.Signing.PublicKey(key) { return "RSA \(rsa.keySizeInBits)" }
        if P256.Signing.PublicKey(key) != nil { return "ECDSA P-256" }
        if P384.Signing.PublicKey(key) != nil { return "ECDSA P-384" }
        if P521.Signing.PublicKey(key) != nil { return "ECDSA P-521" }
        if Curve25519.Signing.PublicKey(key) != nil { return "Ed25519" }
        return "unknown"
    }

    /// The key algorithm and size as separate values (`RSA`, 4096), for machine-readable output.
    public static func algorithmAndSize(_ key: Certificate.PublicKey) -> (algorithm: String, bits: Int) {
        if let rsa = _RSA.Signing.PublicKey(key) { return ("RSA", rsa.keySizeInBits) }
        if P256.Signing.PublicKey(key) != nil { return ("ECDSA", 256) }
        if P384.Signing.PublicKey(key) != nil { return ("ECDSA", 384) }
        if P521.Signing.PublicKey(key) != nil { return ("ECDSA", 521) }
        if Curve25519.Signing.PublicKey(key) != nil { return ("Ed25519", 256) }
        return ("unknown", 0)
    }
}

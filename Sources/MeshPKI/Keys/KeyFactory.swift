import Crypto
import _CryptoExtras
import X509

/// Makes private keys; injected so tests can reuse pre-made keys instead of generating RSA-4096 every time.
public struct KeyFactory: Sendable {
    private let make: @Sendable (KeySpec) throws -> Certificate.PrivateKey

    /// A factory that calls `make` for every key.
    public init(_ make: @escaping @Sendable (KeySpec) throws -> Certificate.PrivateKey) {
        self.make = make
    }

    /// A new key of the given kind.
    public func makeKey(_ spec: KeySpec) throws(PKIError) -> Certificate.PrivateKey {
        do {
            return try make(spec)
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError(.io, "could not generate a \(spec) key: \(error)", underlying: error)
        }
    }

    /// Fresh keys from the system's secure random source (BoringSSL inside swift-crypto).
    public static let system = KeyFactory { spec in
        switch (spec.algorithm, spec.size) {
        case (.ecdsa, 384):
            return Certificate.PrivateKey(P384.Signing.PrivateKey())
        case (.ecdsa, _):
            return Certificate.PrivateKey(P256.Signing.PrivateKey())
        case (.rsa, let bits):
            return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
        }
    }
}

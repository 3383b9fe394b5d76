/// The kind and size of a key to generate: RSA with 2048, 3072 or 4096 bits, or ECDSA on P-256 or P-384.
///
/// Istio's `tools/certs` makes RSA-4096 CA keys; Istio's CA issues workload keys as ECDSA P-256 or RSA-2048.
public struct KeySpec: Sendable, Hashable, CustomStringConvertible {
    /// The key algorithm.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case rsa
        case ecdsa
    }

    /// The key algorithm.
    public let algorithm: Algorithm
    /// RSA modulus bits, or the ECDSA curve size (256, 384).
    public let size: Int

    /// The RSA sizes meshctl generates.
    public static let rsaSizes = [2048, 3072, 4096]
    /// The ECDSA curve sizes meshctl generates (P-256, P-384).
    public static let ecdsaSizes = [256, 384]

    /// A validated key spec; throws `invalidParameter` for a size the algorithm does not support.
    public init(_ algorithm: Algorithm, size: Int) throws(PKIError) {
        let allowed = algorithm == .rsa ? Self.rsaSizes : Self.ecdsaSizes
        guard allowed.contains(size) else {
            let list = allowed.map(String.init).joined(separator: ", ")
            throw PKIError(.invalidParameter, "\(algorithm.rawValue) keys of \(size) bits are not supported (use \(list))")
        }
        self.algorithm = algorithm
        self.size = size
    }

    /// A spec from command-line words, with the algorithm's default size when `size` is nil.
    public init(algorithm name: String, size: Int?) throws(PKIError) {
        guard let algorithm = Algorithm(rawValue: name.lowercased()) else {
            throw PKIError(.invalidParameter, "unknown key type \"\(name)\" (use rsa or ecdsa)")
        }
        try self.init(algorithm, size: size ?? (algorithm == .rsa ? 4096 : 256))
    }

    /// RSA-4096, the CA key of Istio's `tools/certs`.
    public static let rsa4096 = KeySpec(unchecked: .rsa, 4096)
    /// RSA-2048.
    public static let rsa2048 = KeySpec(unchecked: .rsa, 2048)
    /// ECDSA on P-256, Istio's ECC workload key.
    public static let p256 = KeySpec(unchecked: .ecdsa, 256)
    /// ECDSA on P-384.
    public static let p384 = KeySpec(unchecked: .ecdsa, 384)

    private init(unchecked algorithm: Algorithm, _ size: Int) {
        self.algorithm = algorithm
        self.size = size
    }

    /// `RSA 4096` or `ECDSA P-256`.
    public var description: String {
        algorithm == .rsa ? "RSA \(size)" : "ECDSA P-\(size)"
    }
}

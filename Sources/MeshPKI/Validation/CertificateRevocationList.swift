import SwiftASN1
import X509

/// The parts of an X.509 CRL (RFC 5280 section 5) that bundle validation needs: who signed it and whether the
/// signature verifies. swift-certificates has no CRL type, so the outer structure is read with swift-asn1.
struct CertificateRevocationList {
    /// The DER of `tbsCertList`, the signed bytes.
    let signedBytes: ArraySlice<UInt8>
    /// The issuer name inside `tbsCertList`.
    let issuer: DistinguishedName
    /// The signature algorithm, when meshctl knows it.
    let algorithm: Certificate.SignatureAlgorithm?
    /// The signature bytes.
    let signature: ArraySlice<UInt8>

    /// Parses one DER-encoded `CertificateList`.
    init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        (signedBytes, issuer, algorithm, signature) = try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbs = nodes.next(), let algorithmNode = nodes.next(), let signatureNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "a CRL has three parts")
            }
            let issuer = try DER.sequence(tbs, identifier: .sequence) { fields -> DistinguishedName in
                var field = fields.next()
                if let version = field, version.identifier == .integer { field = fields.next() }  // optional version
                guard field != nil, let name = fields.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "the CRL has no issuer")
                }
                while fields.next() != nil {}  // thisUpdate, nextUpdate, revokedCertificates, extensions
                return try DistinguishedName(derEncoded: name)
            }
            let oid = try DER.sequence(algorithmNode, identifier: .sequence) { parts in
                guard let first = parts.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "empty algorithm identifier")
                }
                while parts.next() != nil {}
                return try ASN1ObjectIdentifier(derEncoded: first)
            }
            let bits = try ASN1BitString(derEncoded: signatureNode)
            return (tbs.encodedBytes, issuer, Self.algorithms[oid], bits.bytes)
        }
    }

    /// Whether `certificate`'s key signed this CRL.
    func isSigned(by certificate: Certificate) -> Bool {
        guard let algorithm else { return false }
        return certificate.publicKey.isValidSignature(signature, for: signedBytes, signatureAlgorithm: algorithm)
    }

    static let algorithms: [ASN1ObjectIdentifier: Certificate.SignatureAlgorithm] = [
        [1, 2, 840, 113549, 1, 1, 5]: .sha1WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 11]: .sha256WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 12]: .sha384WithRSAEncryption,
        [1, 2, 840, 113549, 1, 1, 13]: .sha512WithRSAEncryption,
        [1, 2, 840, 10045, 4, 3, 2]: .ecdsaWithSHA256,
        [1, 2, 840, 10045, 4, 3, 3]: .ecdsaWithSHA384,
        [1, 2, 840, 10045, 4, 3, 4]: .ecdsaWithSHA512,
    ]
}

import Crypto
import NIOSSL
import X509

/// What `x-forwarded-client-cert` tells about a downstream mTLS client certificate, read once per connection.
struct PeerCertificate: Sendable, Equatable {
    /// Lower-case hex SHA-256 of the DER certificate (the element's `Hash`).
    var hash: String
    /// The subject in RFC 2253 order (`Subject`).
    var subject: String
    /// URI SANs (`URI`) and DNS SANs (`DNS`).
    var uris: [String]
    var dnsNames: [String]
    /// The certificate as PEM (`Cert`, URL-encoded).
    var pem: String

    /// The details of `certificate`; `nil` when it can't be encoded.
    static func of(_ certificate: NIOSSLCertificate) -> PeerCertificate? {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
        var uris: [String] = []
        var dnsNames: [String] = []
        let names: SubjectAlternativeNames? = (try? parsed.extensions.subjectAlternativeNames) ?? nil
        for name in names ?? SubjectAlternativeNames() {
            switch name {
            case .uniformResourceIdentifier(let uri): uris.append(uri)
            case .dnsName(let dns): dnsNames.append(dns)
            default: break
            }
        }
        return PeerCertificate(
            hash: SHA256.hash(data: der).map { String($0, radix: 16).leftPadded(to: 2) }.joined(),
            subject: parsed.subject.description, uris: uris, dnsNames: dnsNames,
            pem: (try? parsed.serializeAsPEM().pemString) ?? "")
    }

    /// This hop's XFCC element, fields in Envoy's order: `By` (each URI SAN of the local certificate), `Hash`,
    /// `Cert` (quoted, URL-encoded PEM) when asked, `Subject` (quoted), each `URI`, each `DNS`.
    func xfccElement(by localURIs: [String], includingCert: Bool) -> String {
        var fields = localURIs.map { "By=\($0)" }
        fields.append("Hash=\(hash)")
        if includingCert { fields.append("Cert=\"\(Self.urlEncoded(pem + "\n"))\"") }
        fields.append("Subject=\"\(subject)\"")
        fields += uris.map { "URI=\($0)" }
        fields += dnsNames.map { "DNS=\($0)" }
        return fields.joined(separator: ";")
    }

    /// Percent-encodes all but RFC 3986's unreserved characters.
    static func urlEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

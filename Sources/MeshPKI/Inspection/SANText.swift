import X509

/// Subject alternative names as text: `DNS:istiod.istio-system.svc`, `URI:spiffe://…` or, for SPIFFE IDs,
/// `SPIFFE:spiffe://cluster.local/ns/default/sa/bookinfo`.
public enum SANText {
    /// One name, prefixed with its kind.
    public static func text(_ name: GeneralName) -> String {
        switch name {
        case .dnsName(let value): return "DNS:\(value)"
        case .uniformResourceIdentifier(let value):
            return value.hasPrefix("spiffe://") ? "SPIFFE:\(value)" : "URI:\(value)"
        case .rfc822Name(let value): return "email:\(value)"
        case .ipAddress(let octets): return "IP:\(ip(Array(octets.bytes)))"
        case .directoryName(let value): return "DirName:\(CertificateNames.display(value))"
        case .registeredID(let oid): return "RID:\(oid)"
        case .otherName: return "othername"
        case .x400Address: return "X400Name"
        case .ediPartyName: return "EdiPartyName"
        }
    }

    /// Dotted IPv4 or colon-separated IPv6 (uncompressed).
    static func ip(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String($0, radix: 16) }.joined(separator: ":") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

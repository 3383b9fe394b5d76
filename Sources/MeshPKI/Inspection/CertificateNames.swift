import X509

/// How certificates and names are shown to people: `O=Istio, CN=Root CA` in the order the certificate holds them,
/// as `openssl x509 -subject` prints them.
public enum CertificateNames {
    /// A distinguished name in certificate order, or `(empty)`.
    public static func display(_ name: DistinguishedName) -> String {
        let parts = name.flatMap { rdn in rdn.map(\.description) }
        return parts.isEmpty ? "(empty)" : parts.joined(separator: ", ")
    }

    /// A certificate's subject, or its first SAN when the subject is empty (Istio workload certificates).
    public static func label(_ certificate: Certificate) -> String {
        if certificate.subject.isEmpty, let names = try? certificate.extensions.subjectAlternativeNames,
            let first = names.first
        {
            return "\"\(SANText.text(first))\""
        }
        return "\"\(display(certificate.subject))\""
    }
}

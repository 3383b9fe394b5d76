import X509

/// PEM text of certificates, one block after another, ending with a newline.
public enum PEMText {
    /// The PEM blocks of `certificates` in order.
    public static func certificates(_ certificates: [Certificate]) throws(PKIError) -> String {
        var text = ""
        for certificate in certificates {
            do {
                text += try certificate.serializeAsPEM().pemString + "\n"
            } catch {
                throw PKIError(.io, "cannot encode a certificate as PEM: \(error)", underlying: error)
            }
        }
        return text
    }
}

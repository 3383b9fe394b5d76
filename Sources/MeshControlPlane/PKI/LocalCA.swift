import Foundation
import MeshPKI
import NIOSSL
import X509

/// The cluster CA of the local control plane: a self-signed ECDSA P-256 root in the data directory that issues the
/// API server's serving certificate and the administrator's client certificate. The certificate work is MeshPKI's
/// (`CAGenerator`, `TLSLeafIssuer`); this type only knows the files and the names.
///
/// It is not the mesh CA: like a Kubernetes cluster, whose CA is separate from istiod's, workload certificates
/// come from `MeshCAController`.
enum LocalCA {
    /// `O=meshctl, CN=meshctl local cluster CA`, ten years.
    static let profile = CAProfile(
        organization: "meshctl", commonName: "meshctl local cluster CA", validityDays: 3650, key: .p256)

    /// The cluster CA from the data directory, created with an admin client certificate on first start.
    static func loadOrCreate(_ files: DataDirectory) throws -> SigningCA {
        let fm = FileManager.default
        if fm.fileExists(atPath: files.caCertificate), fm.fileExists(atPath: files.caKey) {
            return try SigningCA.selfSigned(
                certificate: PEMFile.read(path: files.caCertificate), key: PEMFile.read(path: files.caKey), now: Date())
        }
        let ca = try CAGenerator().makeRoot(profile)
        let admin = try TLSLeafIssuer(ca: ca).issue(
            commonName: ControlPlane.adminUser, organizations: ["system:masters"], purpose: .client, days: 3650)
        let caPEM = try ca.pem()
        try write(caPEM.key, to: files.caKey)
        try write(PEMText.certificates([admin.certificate]), to: files.adminCertificate)
        try write(PrivateKeyPEM.encode(admin.privateKey), to: files.adminKey)
        try write(caPEM.certificate, to: files.caCertificate)
        return ca
    }

    /// The subject common name of a peer certificate (the Kubernetes user name).
    static func commonName(of certificate: NIOSSLCertificate) -> String? {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else { return nil }
        for rdn in parsed.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }

    private static func write(_ text: String, to file: String) throws {
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError("cannot write \(file)")
        }
    }
}

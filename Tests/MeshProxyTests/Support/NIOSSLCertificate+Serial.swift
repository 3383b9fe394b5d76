import NIOSSL

extension NIOSSLCertificate {
    /// The serial number in lowercase hex: what a test peer reports of the certificate it was shown.
    var serialHex: String {
        serialNumber.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The serial of the first certificate (the leaf of a chain) in the PEM file at `path`.
    static func leafSerial(_ path: String) throws -> String {
        try fromPEMFile(path)[0].serialHex
    }
}

import Foundation
import SwiftASN1
import X509

/// The text of one PEM file together with the name it is reported under (`ca-cert.pem`, `secret/cacerts:tls.crt`).
///
/// Every parse error names the file and says what was expected, so a user can tell a key pasted into a certificate
/// file from a truncated download.
public struct PEMFile: Sendable, Hashable {
    /// The name errors use: a path, `-` for standard input, or a secret key.
    public var name: String
    /// The file's text.
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// Reads a file; a missing file is `missingFile`, other failures are `io`.
    public static func read(path: String) throws(PKIError) -> PEMFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PKIError(.missingFile, "no such file", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PKIError(.io, "cannot read the file", file: path)
        }
        return try PEMFile(name: path, data: data)
    }

    /// A file from raw bytes; bytes that are not text are bad material.
    public init(name: String, data: Data) throws(PKIError) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PKIError.bad("not a PEM file (the content is binary, not text; DER files are not accepted)", file: name)
        }
        self.init(name: name, text: text)
    }

    /// The PEM blocks in order; throws when there are none or one is malformed.
    public func documents() throws(PKIError) -> [PEMDocument] {
        guard text.contains("-----BEGIN ") else {
            throw PKIError.bad("not a PEM file (no \"-----BEGIN\" line found)", file: name)
        }
        do {
            return try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw PKIError.bad("malformed PEM: \(Self.reason(error))", file: name, underlying: error)
        }
    }

    /// Every certificate in the file, in order; at least one.
    public func certificates() throws(PKIError) -> [Certificate] {
        let documents = try documents()
        var result: [Certificate] = []
        for (index, document) in documents.enumerated() {
            guard document.discriminator == "CERTIFICATE" else {
                throw PKIError.bad(
                    "expected only CERTIFICATE blocks, but block \(index + 1) is \(document.discriminator)", file: name)
            }
            do {
                result.append(try Certificate(derEncoded: document.derBytes))
            } catch {
                throw PKIError.bad(
                    "certificate \(index + 1) is not a valid X.509 certificate: \(Self.reason(error))",
                    file: name, underlying: error)
            }
        }
        return result
    }

    /// The certificates of a file that may also hold private keys, which are skipped (inspection never shows
    /// keys); throws when there is no certificate.
    public func certificatesSkippingPrivateKeys() throws(PKIError) -> [Certificate] {
        let documents = try documents()
        let blocks = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard !blocks.isEmpty else {
            let found = documents.map(\.discriminator).joined(separator: ", ")
            throw PKIError.bad("no certificates found (the file holds \(found))", file: name)
        }
        let skipped = documents.filter { !$0.discriminator.hasSuffix("PRIVATE KEY") && $0.discriminator != "CERTIFICATE" }
        if let other = skipped.first {
            throw PKIError.bad("unexpected \(other.discriminator) block; expected certificates", file: name)
        }
        return try PEMFile(name: name, text: blocks.map(\.pemString).joined(separator: "\n")).certificates()
    }

    /// The single private key in the file (PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY` or PKCS#8 `PRIVATE KEY`).
    public func privateKey() throws(PKIError) -> Certificate.PrivateKey {
        let documents = try documents()
        let keys = documents.filter { $0.discriminator.hasSuffix("PRIVATE KEY") }
        guard let document = keys.first else {
            let found = documents.map(\.discriminator).joined(separator: ", ")
            throw PKIError.bad("expected a private key, but the file holds \(found)", file: name)
        }
        guard keys.count == 1 else {
            throw PKIError.bad("expected one private key, found \(keys.count)", file: name)
        }
        if document.discriminator == "ENCRYPTED PRIVATE KEY" {
            throw PKIError.bad("the private key is encrypted; decrypt it first (openssl pkey -in FILE)", file: name)
        }
        do {
            return try Certificate.PrivateKey(pemDocument: document)
        } catch {
            throw PKIError.bad(
                "unsupported or malformed private key (\(document.discriminator)); use RSA (2048 bits or more) or ECDSA P-256/P-384: \(Self.reason(error))",
                file: name, underlying: error)
        }
    }

    /// A short reason from a swift-asn1 or swift-certificates error.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        // ASN1Error descriptions look like "ASN1Error.invalidPEMDocument: reason ..."; keep them, trimmed.
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

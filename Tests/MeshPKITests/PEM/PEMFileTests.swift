import Foundation
import MeshPKI
import Testing
import X509

@Suite struct PEMFileTests {
    @Test func certificatesRoundTripInOrder() throws {
        let chain = TestPKI.shared.intermediate.chain
        let file = PEMFile(name: "chain.pem", text: try PEMText.certificates(chain))
        #expect(try file.certificates() == chain)
    }

    @Test func textWithoutPEMIsNamed() {
        let error = #expect(throws: PKIError.self) { try PEMFile(name: "x.pem", text: "garbage").certificates() }
        #expect(error?.description == "x.pem: not a PEM file (no \"-----BEGIN\" line found)")
        #expect(error?.exitCode == .dataError)
    }

    @Test func truncatedPEMIsMalformed() throws {
        let text = try PEMText.certificates([TestPKI.shared.root.certificate])
        let truncated = String(text.prefix(text.count / 2))
        let error = #expect(throws: PKIError.self) { try PEMFile(name: "root.pem", text: truncated).certificates() }
        #expect(error?.description.hasPrefix("root.pem: malformed PEM") == true)
    }

    @Test func corruptDERIsNotACertificate() {
        let text = "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n"
        let error = #expect(throws: PKIError.self) { try PEMFile(name: "c.pem", text: text).certificates() }
        #expect(error?.description.hasPrefix("c.pem: certificate 1 is not a valid X.509 certificate") == true)
    }

    @Test func aKeyWhereCertificatesBelongIsNamed() throws {
        let text = try PrivateKeyPEM.encode(TestPKI.shared.intermediate.privateKey)
        let error = #expect(throws: PKIError.self) { try PEMFile(name: "ca-cert.pem", text: text).certificates() }
        #expect(error?.description == "ca-cert.pem: expected only CERTIFICATE blocks, but block 1 is PRIVATE KEY")
    }

    @Test func binaryContentIsRejected() {
        let error = #expect(throws: PKIError.self) { try PEMFile(name: "k.der", data: Data([0x30, 0x82, 0xFF, 0xFE])) }
        #expect(error?.description.contains("binary") == true)
    }

    @Test func aMissingFileIsAMissingFile() {
        let error = #expect(throws: PKIError.self) { try PEMFile.read(path: "/nonexistent/meshctl/root-cert.pem") }
        #expect(error?.code == .missingFile)
        #expect(error?.description == "/nonexistent/meshctl/root-cert.pem: no such file")
        #expect(error?.exitCode == .dataError)
    }

    @Test func rsaAndECDSAKeysRoundTrip() throws {
        for key in [TestPKI.shared.root.privateKey, TestPKI.shared.intermediate.privateKey] {
            let text = try PrivateKeyPEM.encode(key)
            #expect(try PEMFile(name: "k", text: text).privateKey().publicKey == key.publicKey)
        }
        #expect(try PrivateKeyPEM.encode(TestPKI.shared.root.privateKey).hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(try PrivateKeyPEM.encode(TestPKI.shared.intermediate.privateKey).hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func encryptedKeysAreExplained() {
        let text = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAECAwQF\n-----END ENCRYPTED PRIVATE KEY-----\n"
        let error = #expect(throws: PKIError.self) { try PEMFile(name: "k.pem", text: text).privateKey() }
        #expect(error?.description.contains("encrypted") == true)
    }
}

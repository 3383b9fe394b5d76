import Foundation
import MeshPKI
import Testing
import X509

@Suite struct TLSLeafIssuerTests {
    let now = TestPKI.fixedNow.addingTimeInterval(3600)

    var issuer: TLSLeafIssuer { TLSLeafIssuer(ca: TestPKI.shared.root, sources: TestPKI.sources(now: now)) }

    @Test func aServingCertificateNamesItsHostsAndAddresses() throws {
        let issued = try issuer.issue(
            commonName: "meshctl-apiserver", dnsNames: ["localhost", "kubernetes"], ipAddresses: ["127.0.0.1", "::1"],
            purpose: .server)
        let leaf = issued.certificate
        #expect(CertificateNames.display(leaf.subject) == "CN=meshctl-apiserver")
        let names = try #require(try leaf.extensions.subjectAlternativeNames).map(SANText.text)
        #expect(names == ["DNS:localhost", "DNS:kubernetes", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1"])
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true, keyEncipherment: true))
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(leaf.notValidBefore == now.addingTimeInterval(-300))
        #expect(leaf.notValidAfter == now.addingTimeInterval(365 * 86_400))
        #expect(leaf.issuer == TestPKI.shared.root.certificate.subject)
        #expect(issued.chain == [leaf, TestPKI.shared.root.certificate])
    }

    @Test func aClientCertificateCarriesUserAndGroups() throws {
        let leaf = try issuer.issue(commonName: "meshctl-admin", organizations: ["system:masters"], purpose: .client, days: 10).certificate
        #expect(CertificateNames.display(leaf.subject) == "O=system:masters, CN=meshctl-admin")
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
        #expect(try leaf.extensions.subjectAlternativeNames == nil)
    }

    @Test(.enabled(if: OpenSSL.isAvailable, "openssl is not installed"))
    func opensslAcceptsTheServingCertificateForTLSServers() throws {
        let ca = try CAGenerator().makeRoot(CAProfile(organization: "meshctl", commonName: "test CA", validityDays: 30, key: .p256))
        let issued = try TLSLeafIssuer(ca: ca).issue(commonName: "server", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], purpose: .server)
        let directory = try TestPKI.directory(with: [
            "ca.pem": try PEMText.certificates([ca.certificate]), "leaf.pem": try PEMText.certificates([issued.certificate]),
        ])
        let verify = try OpenSSL.run([
            "verify", "-purpose", "sslserver", "-verify_ip", "127.0.0.1", "-CAfile", "\(directory)/ca.pem", "\(directory)/leaf.pem",
        ])
        #expect(verify.status == 0, "\(verify.output)")
    }

    @Test func aBadAddressOrAnExpiredCAIsRefused() throws {
        #expect(throws: PKIError.self) { try issuer.issue(commonName: "x", ipAddresses: ["localhost"], purpose: .server) }
        let late = TLSLeafIssuer(ca: TestPKI.shared.root, sources: TestPKI.sources(now: TestPKI.shared.root.certificate.notValidAfter + 1))
        #expect(throws: PKIError.self) { try late.issue(commonName: "x", purpose: .client) }
    }

    @Test(arguments: [
        ("10.0.0.1", [10, 0, 0, 1]), ("::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("fe80::1:2", [0xFE, 0x80] + [UInt8](repeating: 0, count: 10) + [0, 1, 0, 2]),
        ("1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
    ] as [(String, [UInt8])])
    func addressesParse(_ text: String, _ bytes: [UInt8]) {
        #expect(IPAddressText.bytes(text) == bytes)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.256", "01234.1.1.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "g::1", "localhost", "1:2:3:4:5:6:7:8::"])
    func nonAddressesDoNotParse(_ text: String) {
        #expect(IPAddressText.bytes(text) == nil)
    }
}

import Foundation
import MeshCore
import MeshPKI

/// `meshctl pki verify`: does a certificate chain to a root? Exit 0 when it does, 79 with the reasons when not.
enum PKIVerify {
    static let root = OptionSpec(
        long: "root", valueName: "FILE", help: "PEM file of trusted root certificates (required)",
        completion: .file(extensions: ["pem", "crt"]))
    static let chain = OptionSpec(
        long: "chain", valueName: "FILE", help: "PEM file of intermediate certificates, in any order",
        completion: .file(extensions: ["pem", "crt"]))

    static let spec = CommandSpec(
        name: "verify",
        abstract: "Verify that a certificate chains to a trusted root",
        discussion: """
            Verify the first certificate in CERT against the roots in --root, using the other certificates in CERT
            and those in --chain as intermediates (in any order), at the current time.

            Exits 0 when a valid path exists. Otherwise prints the reasons (expired or not yet valid, wrong issuer,
            not a CA, bad signature, path length or name constraints) and exits 79. Unreadable or malformed input
            exits 65.
            """,
        examples: [
            .init("Verify a workload certificate chain", "meshctl pki verify --root wl/root-cert.pem wl/cert-chain.pem"),
            .init("Verify an intermediate with a separate chain file", "meshctl pki verify --root root-cert.pem --chain cert-chain.pem ca-cert.pem"),
        ],
        options: [root, chain, PKIOptions.output],
        arguments: [ArgumentSpec("CERT", help: "PEM file whose first certificate is verified (- for standard input)", completion: .anyFile)],
        run: { invocation, context in
            guard invocation.arguments.count == 1 else {
                throw UsageError("expected exactly one CERT file", at: invocation.path)
            }
            let rootFile = try PKIOptions.readPEM(try PKIOptions.required(root, invocation))
            let certificates = try PKIOptions.readPEM(invocation.arguments[0]).certificates()
            var intermediates = Array(certificates.dropFirst())
            if let chainPath = invocation.options.string(chain) {
                intermediates += try PKIOptions.readPEM(chainPath).certificates()
            }
            let roots = try rootFile.certificates()
            let leaf = certificates[0]
            let result = await ChainVerifier(now: Date()).verify(leaf: leaf, intermediates: intermediates, roots: roots)
            if let format = PKIOptions.format(invocation) {
                context.standardOutput.write(ObjectPrinter.render(result.value, format: format))
            } else if let path = result.chain, result.isValid {
                context.print("OK: \(CertificateNames.label(leaf)) verifies")
                context.print(path.map { "  " + CertificateNames.label($0) }.joined(separator: "\n  issued by\n"))
            } else {
                context.print("FAILED: \(CertificateNames.label(leaf)) does not verify against \(rootFile.name)")
                context.print(result.reasons.map { "  - " + $0 }.joined(separator: "\n"))
            }
            return result.isValid ? .ok : .problemsFound
        }
    )
}

import Foundation
import MeshCore
import MeshPKI

/// `meshctl pki root-ca`: a self-signed root CA with Istio's `tools/certs` parameters.
enum PKIRootCA {
    static let out = PKIOptions.out("Directory to write root-cert.pem and root-key.pem to (required)")
    static let days = OptionSpec(
        long: "days", valueName: "DAYS", help: "Days the root is valid", defaultValue: "3650", valueType: .integer)
    static let org = OptionSpec(long: "org", valueName: "NAME", help: "Organization (O=) of the subject", defaultValue: "Istio")
    static let commonName = OptionSpec(long: "cn", valueName: "NAME", help: "Common name (CN=) of the subject", defaultValue: "Root CA")

    static let spec = CommandSpec(
        name: "root-ca",
        abstract: "Generate a root CA for the mesh",
        discussion: """
            Generate a self-signed root CA as Istio's tools/certs Makefile does: RSA 4096, SHA-256, valid for 3650
            days, subject O=Istio, CN=Root CA, with basicConstraints critical CA:TRUE, keyUsage critical
            digitalSignature, nonRepudiation, keyEncipherment, keyCertSign and a subjectKeyIdentifier.

            Writes root-cert.pem and root-key.pem (mode 0600) to --out. Existing files are not replaced unless
            --force is given. Keep the root key offline: intermediate CAs for each cluster are signed with it
            (meshctl pki intermediate-ca).
            """,
        examples: [
            .init("Generate a root CA in ./certs", "meshctl pki root-ca --out certs"),
            .init("An ECDSA P-256 root valid for 5 years", "meshctl pki root-ca --out certs --key-type ecdsa --days 1825"),
        ],
        options: [out, PKIOptions.keyType, PKIOptions.keySize, days, org, commonName, PKIOptions.force, PKIOptions.output],
        run: { invocation, context in
            let directory = try PKIOptions.required(out, invocation)
            var profile = CAProfile.istioRoot
            profile.key = try PKIOptions.keySpec(invocation, defaultType: .rsa, defaultSize: 4096)
            profile.validityDays = try PKIOptions.days(days, invocation)
            profile.organization = invocation.options.string(org) ?? "Istio"
            profile.commonName = invocation.options.string(commonName) ?? "Root CA"
            let sources = PKISources.system
            let root = try PKIOptions.usage(invocation) { try CAGenerator(sources: sources).makeRoot(profile) }
            var printer = PKIPrinter()
            printer.files = try MaterialFiles.root(root).write(to: directory, force: invocation.options.bool(PKIOptions.force))
            printer.add("root", root.certificate, now: sources.now())
            printer.print(PKIOptions.format(invocation), text: printer.briefText(), to: context)
            return .ok
        }
    )
}

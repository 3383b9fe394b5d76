import Foundation
import MeshCore
import MeshPKI

/// `meshctl pki issue`: a workload certificate as Istio's CA issues it.
enum PKIIssue {
    static let ca = OptionSpec(
        long: "ca", valueName: "DIR",
        help: "CA bundle directory: ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem (or tls.crt, tls.key, ca.crt) (required)",
        completion: .directory)
    static let spiffe = OptionSpec(
        long: "spiffe", valueName: "ID", help: "Workload identity: spiffe://TRUST-DOMAIN/ns/NAMESPACE/sa/SERVICE-ACCOUNT (required)")
    static let ttl = OptionSpec(
        long: "ttl", valueName: "DURATION", help: "Lifetime of the certificate, e.g. 24h or 90m (at most until the CA expires)",
        defaultValue: "24h", valueType: .duration)
    static let out = PKIOptions.out("Directory to write cert-chain.pem, key.pem and root-cert.pem to (required)")

    static let spec = CommandSpec(
        name: "issue",
        abstract: "Issue a workload certificate for a SPIFFE identity",
        discussion: """
            Issue a workload certificate the way Istio's CA does: empty subject, the SPIFFE ID as a critical URI
            SAN, keyUsage digitalSignature and keyEncipherment, extended key usage serverAuth and clientAuth,
            CA:FALSE, a random 128-bit serial, valid from two minutes ago (clock skew) for --ttl, but never past the
            CA's own expiry. The key is ECDSA P-256 unless --key-type says otherwise.

            The CA bundle is validated first, as plug-ca would. Writes cert-chain.pem (the workload certificate
            followed by the CA's chain), key.pem (mode 0600) and root-cert.pem: the files a sidecar mounts.
            """,
        examples: [
            .init(
                "A certificate for the bookinfo service account",
                "meshctl pki issue --ca cluster1 --spiffe spiffe://cluster.local/ns/default/sa/bookinfo --out wl"),
        ],
        options: [ca, spiffe, ttl, out, PKIOptions.keyType, PKIOptions.keySize, PKIOptions.force, PKIOptions.output],
        run: { invocation, context in
            let caDirectory = try PKIOptions.required(ca, invocation)
            let identityText = try PKIOptions.required(spiffe, invocation)
            let directory = try PKIOptions.required(out, invocation)
            let identity = try PKIOptions.usage(invocation) { try SPIFFEID(parsing: identityText) }
            let lifetime = invocation.options.duration(ttl) ?? .seconds(86_400)
            guard lifetime.nanoseconds > 0 else {
                throw UsageError("--ttl must be positive", at: invocation.path)
            }
            let key = try PKIOptions.keySpec(invocation, defaultType: .ecdsa, defaultSize: 256)
            let sources = PKISources.system
            let signer = try await SigningCA.loadBundle(directory: caDirectory, now: sources.now())
            let issued = try WorkloadIssuer(ca: signer, sources: sources).issue(for: identity, ttl: lifetime.seconds, key: key)
            var printer = PKIPrinter()
            printer.files = try MaterialFiles.workload(issued).write(to: directory, force: invocation.options.bool(PKIOptions.force))
            printer.add("workload", issued.certificate, now: sources.now())
            printer.print(PKIOptions.format(invocation), text: printer.briefText(), to: context)
            return .ok
        }
    )
}

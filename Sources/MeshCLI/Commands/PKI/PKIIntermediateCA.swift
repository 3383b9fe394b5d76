import Foundation
import MeshCore
import MeshPKI

/// `meshctl pki intermediate-ca`: a cluster's intermediate CA signed by the root, in the layout of `cacerts`.
enum PKIIntermediateCA {
    static let root = OptionSpec(
        long: "root", valueName: "DIR", help: "Directory holding root-cert.pem and root-key.pem (required)",
        completion: .directory)
    static let cluster = OptionSpec(
        long: "cluster", valueName: "NAME", help: "Cluster name, recorded as L= in the subject (required)")
    static let out = PKIOptions.out("Directory to write the bundle to (default: the cluster name)")
    static let days = OptionSpec(
        long: "days", valueName: "DAYS", help: "Days the intermediate is valid", defaultValue: "730", valueType: .integer)

    static let spec = CommandSpec(
        name: "intermediate-ca",
        abstract: "Generate a cluster's intermediate CA, signed by the root",
        discussion: """
            Generate an intermediate CA for one cluster as Istio's tools/certs Makefile does: RSA 4096, SHA-256,
            valid for 730 days (the Makefile's INTERMEDIATE_DAYS; --days changes it, up to 36500), subject
            O=Istio, CN=Intermediate CA, L=<cluster>, basicConstraints critical CA:TRUE, pathlen:0, keyUsage
            critical digitalSignature, nonRepudiation, keyEncipherment, keyCertSign, and the SAN
            DNS:istiod.<mesh namespace>.svc.

            Writes the files istiod reads from the cacerts secret: ca-cert.pem, ca-key.pem (mode 0600),
            cert-chain.pem (the intermediate followed by the root) and root-cert.pem. Plug them into a cluster
            with meshctl pki plug-ca --cert-dir DIR.
            """,
        examples: [
            .init("An intermediate for cluster1 in ./cluster1", "meshctl pki intermediate-ca --root certs --cluster cluster1"),
            .init("For a mesh installed in istio-mesh", "meshctl pki intermediate-ca --root certs --cluster east -i istio-mesh --out east"),
            .init("Valid for ten years, with an ECDSA P-256 key", "meshctl pki intermediate-ca --root certs --cluster west --days 3650 --key-type ecdsa"),
        ],
        options: [root, cluster, out, days, PKIOptions.keyType, PKIOptions.keySize, PKIOptions.force, PKIOptions.output],
        run: { invocation, context in
            let rootDirectory = try PKIOptions.required(root, invocation)
            let clusterName = try PKIOptions.required(cluster, invocation)
            let directory = invocation.options.string(out) ?? clusterName
            let global = GlobalOptions(invocation.options)
            var profile = CAProfile.istioIntermediate(cluster: clusterName, meshNamespace: global.meshNamespace)
            profile.key = try PKIOptions.keySpec(invocation, defaultType: .rsa, defaultSize: 4096)
            profile.validityDays = try PKIOptions.days(days, invocation)
            let sources = PKISources.system
            let rootCA = try SigningCA.loadRoot(directory: rootDirectory, now: sources.now())
            let ca = try PKIOptions.usage(invocation) {
                try CAGenerator(sources: sources).makeIntermediate(profile, signedBy: rootCA)
            }
            var printer = PKIPrinter()
            printer.files = try MaterialFiles.intermediate(ca).write(to: directory, force: invocation.options.bool(PKIOptions.force))
            printer.add("intermediate", ca.certificate, now: sources.now())
            printer.add("root", rootCA.certificate, now: sources.now())
            printer.print(PKIOptions.format(invocation), text: printer.briefText(), to: context)
            return .ok
        }
    )
}

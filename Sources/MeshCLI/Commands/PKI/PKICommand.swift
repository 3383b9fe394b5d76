import MeshCore

/// `meshctl pki`: the mesh's certificate authority material.
enum PKICommand {
    static let spec = CommandSpec(
        name: "pki",
        abstract: "Create, check and plug in the mesh's CA certificates",
        discussion: """
            Work with the certificates of the mesh's CA without openssl or Makefiles: generate a root and
            per-cluster intermediate CAs with Istio's parameters, issue workload certificates, inspect and verify
            PEM files, and plug a CA bundle into a cluster after validating it exactly as istiod would.

            Private keys are written with mode 0600 and existing files are never replaced without --force.
            """,
        examples: [
            .init("Make a root and an intermediate for cluster1", "meshctl pki root-ca --out certs && meshctl pki intermediate-ca --root certs --cluster cluster1"),
            .init("Plug the intermediate into the current cluster", "meshctl pki plug-ca --cert-dir cluster1 --restart"),
        ],
        subcommands: [
            PKIRootCA.spec,
            PKIIntermediateCA.spec,
            PKIPlugCA.spec,
            PKIIssue.spec,
            PKIInspect.spec,
            PKIVerify.spec,
        ],
        group: "Security"
    )
}

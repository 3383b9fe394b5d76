/// `meshctl authz`: Istio authorization (RBAC) — check requests against AuthorizationPolicies.
enum AuthzCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "authz",
        abstract: "Check what Istio AuthorizationPolicies allow, on files or on the cluster",
        discussion: """
            Work with Istio's authorization (RBAC): AuthorizationPolicies decide which requests reach a workload.
            `meshctl authz check` answers "would this request be allowed, and why?" from policy files without a
            cluster, or from the policies on the cluster.
            """,
        examples: [
            .init("Would sleep's GET /admin reach httpbin?", "meshctl authz check -n foo --labels app=httpbin --policies policies/ --request 'GET /admin' --principal cluster.local/ns/foo/sa/sleep"),
        ],
        subcommands: [AuthzCheckCommand.spec, AuthzListCommand.spec],
        group: "Policy"
    )
}

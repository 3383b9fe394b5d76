/// `meshctl authz`: Istio authorization (RBAC) — check requests against AuthorizationPolicies.
enum AuthzCommand {
    static let spec: CommandSpec = CommandSpec(
        name: "authz",
        abstract: "Check, list, write and convert Istio AuthorizationPolicies",
        discussion: """
            Work with Istio's authorization (RBAC): AuthorizationPolicies decide which requests reach a workload.
            `meshctl authz check` answers "would this request be allowed, and why?" from policy files without a
            cluster, or from the policies on the cluster. `authz list` says what each policy allows or denies,
            `authz allow` and `authz deny` write validated policies from flags, `authz delete` removes them, and
            `authz convert` turns legacy Istio RBAC (ServiceRole, ServiceRoleBinding, ClusterRbacConfig) into
            AuthorizationPolicies.
            """,
        examples: [
            .init("Would sleep's GET /admin reach httpbin?", "meshctl authz check -n foo --labels app=httpbin --policies policies/ --request 'GET /admin' --principal cluster.local/ns/foo/sa/sleep"),
            .init("Let sleep GET from httpbin", "meshctl authz allow sleep-get -n foo --selector app=httpbin --from-principal cluster.local/ns/foo/sa/sleep --method GET"),
        ],
        subcommands: [AuthzCheckCommand.spec, AuthzListCommand.spec, AuthzAuthorCommand.allowSpec, AuthzAuthorCommand.denySpec, AuthzDeleteCommand.spec, AuthzConvertCommand.spec],
        group: "Policy"
    )
}
